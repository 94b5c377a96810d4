/// How long a partition remembers the inputs it applied (`{pN}:applied`, by entry time), so a
/// redelivered input is skipped: `windowMilliseconds`, and at most `capacity` ids per partition.
/// A redelivery comes only after the claim idle time (`HERALD_CLAIM_IDLE_MS`), so the window must
/// be longer than that.
public struct AppliedInputRetention: Sendable, Hashable {
    /// How long an applied input id is remembered, in milliseconds (`HERALD_APPLIED_WINDOW_MS`,
    /// default 15 minutes), counted from its entry's time.
    public var windowMilliseconds: Int64
    /// The most ids remembered per partition.
    public var capacity: Int

    /// The defaults: the table's window (15 minutes), 100 000 ids per partition.
    public static let standard = AppliedInputRetention(
        windowMilliseconds: Int64(ConfigurationCatalogue.herald.variable("HERALD_APPLIED_WINDOW_MS")?.defaultSetting.flatMap { Int($0) } ?? 900_000),
        capacity: 100_000)

    /// Creates a retention.
    public init(windowMilliseconds: Int64, capacity: Int) {
        self.windowMilliseconds = windowMilliseconds
        self.capacity = capacity
    }

    /// The window as a duration.
    public var window: Duration { .milliseconds(windowMilliseconds) }

    /// Reads `HERALD_APPLIED_WINDOW_MS`; a value that is not an integer longer than
    /// `claimIdleMilliseconds` (the earliest a pending input is redelivered) is an error naming the
    /// variable.
    public static func fromEnvironment(_ environment: [String: String], claimIdleMilliseconds: Int) throws -> AppliedInputRetention {
        try AppliedInputRetention(reader: ConfigurationReader(environment: environment), claimIdleMilliseconds: claimIdleMilliseconds)
    }

    /// Reads `HERALD_APPLIED_WINDOW_MS` through `reader` (see `fromEnvironment`).
    public init(reader: ConfigurationReader, claimIdleMilliseconds: Int) throws(FleetConfigurationError) {
        self = .standard
        if let window = try reader.integerIfSet("HERALD_APPLIED_WINDOW_MS") {
            guard window > claimIdleMilliseconds else {
                throw .invalid(
                    variable: "HERALD_APPLIED_WINDOW_MS", value: String(window),
                    expected: "milliseconds longer than the claim idle time (\(claimIdleMilliseconds) ms), after which an input is redelivered")
            }
            windowMilliseconds = Int64(window)
        }
    }
}
