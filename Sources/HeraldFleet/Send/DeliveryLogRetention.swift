import HeraldCore

/// How many delivery records each delivery-record shard (`herald:deliveries`, then
/// `herald:deliveries:{iN}`) keeps (`XADD … MAXLEN ~`), written by the senders (each send's
/// outcome) and the evaluator (provider feedback).
public struct DeliveryLogRetention: Sendable, Hashable {
    /// The most records a shard keeps, approximately (`HERALD_DELIVERIES_MAX`, default 1 000 000): trimmed
    /// by whole stream nodes, so up to one node (100 records) more.
    public var maxLength: Int

    /// The default: 1 000 000 records.
    public static let standard = DeliveryLogRetention(maxLength: 1_000_000)

    /// Creates a retention.
    public init(maxLength: Int) { self.maxLength = maxLength }

    /// Reads `HERALD_DELIVERIES_MAX`; a value that is not a positive integer (the table's range)
    /// is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> DeliveryLogRetention {
        guard let length = try FleetConfiguration.integer("HERALD_DELIVERIES_MAX", in: environment) else { return standard }
        return DeliveryLogRetention(maxLength: length)
    }
}
