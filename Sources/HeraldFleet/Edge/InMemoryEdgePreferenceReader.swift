import HeraldDelivery
import Synchronization

/// Suppression records held in memory, for tests of the preference page without Redis.
public final class InMemoryEdgePreferenceReader: EdgePreferenceReader {
    /// What a failing read throws.
    public struct Unavailable: Error {}

    private let records = Mutex<[String: SuppressionRecord]>([:])
    private let failing = Mutex<Bool>(false)

    /// Creates an empty reader.
    public init() {}

    /// Sets `user`'s record.
    public func set(_ record: SuppressionRecord, for user: String) { records.withLock { $0[user] = record } }

    /// Makes every read throw (`false` restores reading).
    public func fail(_ fail: Bool) { failing.withLock { $0 = fail } }

    /// The record set for `user`, else an empty one.
    public func suppressions(ofUser user: String) async throws -> SuppressionRecord {
        if failing.withLock({ $0 }) { throw Unavailable() }
        return records.withLock { $0[user] } ?? SuppressionRecord()
    }
}
