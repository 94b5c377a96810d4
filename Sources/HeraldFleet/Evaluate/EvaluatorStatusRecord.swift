import HeraldCore

/// A feedback status record for the user's partition's delivery-record shard
/// (`Keyspace.deliveries(forPartition:)`), appended once its input applied.
public struct EvaluatorStatusRecord: Sendable {
    let record: FeedbackWriter.StatusRecord

    init(_ record: FeedbackWriter.StatusRecord) { self.record = record }

    /// The delivery-record shard.
    public var stream: RedisKey { record.stream }

    /// The record's fields, as text.
    public var fields: [(String, String)] {
        record.fields.map { ($0.0, String(decoding: $0.1.redisBytes, as: UTF8.self)) }
    }
}
