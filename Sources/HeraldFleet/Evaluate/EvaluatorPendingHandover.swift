/// A taken handover whose snapshot (`Keyspace.handover`) still waits to reach its target's partition.
public struct EvaluatorPendingHandover: Sendable, Hashable {
    /// The source's partition.
    public var partition: Int
    /// The merge's id.
    public var mergeId: String

    /// Creates a pending handover.
    public init(partition: Int, mergeId: String) {
        self.partition = partition
        self.mergeId = mergeId
    }
}
