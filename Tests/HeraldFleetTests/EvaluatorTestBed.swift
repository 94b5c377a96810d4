import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys

/// An evaluator handler over an `InMemoryEvaluatorStore` holding every partition's lease: the
/// handler's logic with no Redis.
struct EvaluatorTestBed {
    let keyspace: Keyspace
    let store: InMemoryEvaluatorStore
    let handler: EvaluatorHandler
    /// The lease value the handler holds for every partition.
    static let lease = "test-evaluator:1"
    /// The first entry id's time: the clock now, so the applied-input window keeps the ids.
    private let startMilliseconds = Int64(Date().timeIntervalSince1970 * 1000)

    init(partitions: Int = 1, journeys: [String], leased: Bool = true) throws {
        let keyspace = Keyspace(partitions: partitions)
        self.keyspace = keyspace
        store = InMemoryEvaluatorStore()
        store.update { contents in
            for partition in keyspace.allPartitions { contents.leases[partition] = Self.lease }
        }
        store.publish(try journeys.map { try Journey.decode(Data($0.utf8)) })
        let leases = leased ? Dictionary(uniqueKeysWithValues: keyspace.allPartitions.map { ($0, Self.lease) }) : [:]
        handler = EvaluatorHandler(
            keyspace: keyspace, ownedLeases: { leases }, metrics: Metrics(), logger: Logger(service: "test", minimumLevel: .error))
    }

    /// The `n`th entry of a user's partition stream carrying `input`.
    func entry(_ input: PartitionInput, user: String, _ n: Int) -> StreamEntry {
        entry(input, stream: keyspace.events(keyspace.partition(ofUser: user)), n)
    }

    /// The `n`th entry of `stream` carrying `input`.
    func entry(_ input: PartitionInput, stream: RedisKey, _ n: Int) -> StreamEntry {
        StreamEntry(stream: stream, id: "\(startMilliseconds + Int64(n))-0", fields: input.fields.map { ($0.0, $0.1.redisBytes) })
    }

    /// The `n`th entry: a producer's `track` event for `user`.
    func track(_ user: String, _ event: String, messageId: String, properties: [String: JSONValue] = [:], _ n: Int) throws -> StreamEntry {
        entry(.event(try Self.event(user, event, messageId: messageId, properties: properties)), user: user, n)
    }

    /// A validated `track` event, timestamped now.
    static func event(_ user: String, _ name: String, messageId: String, properties: [String: JSONValue] = [:]) throws -> Event {
        try Event.validate(members: [
            "type": "track", "messageId": .string(messageId), "userId": .string(user), "event": .string(name),
            "properties": .object(properties), "timestamp": .string(ISO8601.format(Date())),
        ])
    }

    /// The user's decoded journey state (empty when none is stored); throws when it does not decode.
    func state(of user: String) throws -> UserJourneyState {
        switch store.contents.states[user] {
        case .encoded(let bytes)?: return try UserJourneyState(decoding: bytes, userId: user)
        case .unreadable(let reason)?: throw EvaluatorInputError.unreadableState(user: user, partition: 0, reason: reason)
        case .none?, nil: return UserJourneyState(userId: user)
        }
    }
}
