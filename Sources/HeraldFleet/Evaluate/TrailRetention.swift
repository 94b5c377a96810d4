import Foundation
import HeraldCore

/// How much of a user's trail is kept: at most `maxLength` entries (one per input), none older
/// than `maxAge`, and the whole key expires `maxAge` after the user's last input (its TTL is
/// refreshed on every write), so the trail of a user who left goes with them.
public struct TrailRetention: Sendable, Hashable {
    /// The most entries kept per user (`HERALD_TRAIL_MAX`, default 200).
    public var maxLength: Int
    /// The oldest entry kept and the key's idle lifetime, in milliseconds
    /// (`HERALD_TRAIL_MAX_AGE_MS`, default 90 days).
    public var maxAgeMilliseconds: Int64

    /// The table's defaults (200 entries, 90 days).
    public static let standard: TrailRetention = {
        // The table's defaults are valid values, so reading an empty environment cannot fail.
        try! TrailRetention(reader: ConfigurationReader(environment: [:]))
    }()

    /// Creates a retention.
    public init(maxLength: Int, maxAgeMilliseconds: Int64) {
        self.maxLength = maxLength
        self.maxAgeMilliseconds = maxAgeMilliseconds
    }

    /// Reads `HERALD_TRAIL_MAX` and `HERALD_TRAIL_MAX_AGE_MS`; a value that is not a positive
    /// integer (the table's range) is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> TrailRetention {
        try TrailRetention(reader: ConfigurationReader(environment: environment))
    }

    /// Reads both variables through `reader`, the table's defaults when unset.
    public init(reader: ConfigurationReader) throws(FleetConfigurationError) {
        maxLength = try reader.integer("HERALD_TRAIL_MAX")
        maxAgeMilliseconds = try reader.milliseconds("HERALD_TRAIL_MAX_AGE_MS")
    }
}
