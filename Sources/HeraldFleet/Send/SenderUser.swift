/// A user whose data a batch loads, on the partition that holds it.
public struct SenderUser: Sendable, Hashable {
    /// The user's partition (`Keyspace.partition(ofUser:)`).
    public var partition: Int
    /// The user id.
    public var userId: String

    /// Creates a reference.
    public init(partition: Int, userId: String) {
        self.partition = partition
        self.userId = userId
    }
}
