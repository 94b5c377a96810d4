import HeraldCore

/// How many delivery records each delivery-record shard (`herald:deliveries`, then
/// `herald:deliveries:{iN}`) keeps (`XADD … MAXLEN ~`), written by the senders (each send's
/// outcome) and the evaluator (provider feedback).
public struct DeliveryLogRetention: Sendable, Hashable {
    /// The most records a shard keeps, approximately (`HERALD_DELIVERIES_MAX`, default 1 000 000): trimmed
    /// by whole stream nodes, so up to one node (100 records) more.
    public var maxLength: Int

    /// The table's default: 1 000 000 records.
    public static let standard: DeliveryLogRetention = {
        // The table's default is a valid value, so reading an empty environment cannot fail.
        try! DeliveryLogRetention(reader: ConfigurationReader(environment: [:]))
    }()

    /// Creates a retention.
    public init(maxLength: Int) { self.maxLength = maxLength }

    /// Reads `HERALD_DELIVERIES_MAX`; a value that is not a positive integer (the table's range)
    /// is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> DeliveryLogRetention {
        try DeliveryLogRetention(reader: ConfigurationReader(environment: environment))
    }

    /// Reads `HERALD_DELIVERIES_MAX` through `reader`, the table's default when unset.
    public init(reader: ConfigurationReader) throws(FleetConfigurationError) {
        maxLength = try reader.integer("HERALD_DELIVERIES_MAX")
    }
}
