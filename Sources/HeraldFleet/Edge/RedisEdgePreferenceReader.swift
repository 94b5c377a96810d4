import HeraldCore
import HeraldDelivery

/// Reads suppression records from the user's partition.
public struct RedisEdgePreferenceReader: EdgePreferenceReader {
    private let connection: RedisConnection
    private let keyspace: Keyspace

    /// Creates a reader on `connection`.
    public init(connection: RedisConnection, keyspace: Keyspace) {
        self.connection = connection
        self.keyspace = keyspace
    }

    /// `GET` of the record; a missing key is an empty record.
    public func suppressions(ofUser user: String) async throws -> SuppressionRecord {
        let reply = try await connection.send(.get(keyspace.suppression(keyspace.partition(ofUser: user), user: user)))
        if case .error(let message) = reply { throw RedisServerError(command: "GET", message: message) }
        guard let bytes = reply.bytes else { return SuppressionRecord() }
        return try SuppressionRecord(json: try JSONValue.parse(bytes))
    }
}
