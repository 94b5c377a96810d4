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

    /// The defaults: 200 entries, 90 days.
    public static let standard = TrailRetention(maxLength: 200, maxAgeMilliseconds: 90 * 86_400_000)

    /// Creates a retention.
    public init(maxLength: Int, maxAgeMilliseconds: Int64) {
        self.maxLength = maxLength
        self.maxAgeMilliseconds = maxAgeMilliseconds
    }

    /// Reads `HERALD_TRAIL_MAX` and `HERALD_TRAIL_MAX_AGE_MS`; a value that is not a positive
    /// integer (the table's range) is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> TrailRetention {
        var retention = standard
        if let length = try FleetConfiguration.integer("HERALD_TRAIL_MAX", in: environment) {
            retention.maxLength = length
        }
        if let age = try FleetConfiguration.integer("HERALD_TRAIL_MAX_AGE_MS", in: environment) {
            retention.maxAgeMilliseconds = Int64(age)
        }
        return retention
    }
}
