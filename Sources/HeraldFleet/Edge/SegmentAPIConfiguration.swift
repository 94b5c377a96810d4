import Foundation
import HeraldCore

/// The Tracking API's settings, read and checked once at start.
///
/// - `HERALD_EDGE_WRITE_KEYS`: write keys, comma-separated; or `HERALD_EDGE_WRITE_KEYS_FILE`: a
///   file (a mounted secret) with one key per line, blank lines and `#` comments ignored.
/// - `HERALD_EDGE_RATE_PER_KEY`: events per second each key may send (unset or 0: no limit).
/// - `HERALD_EDGE_RATE_BURST`: events a key may send at once (default: one second's worth).
public struct SegmentAPIConfiguration: Sendable, Equatable {
    /// The accepted write keys.
    public var writeKeys: SegmentWriteKeys
    /// Events per second per key, or `nil` for no limit.
    public var ratePerKey: Double?
    /// The bucket size per key, in events.
    public var burst: Double

    /// Creates a configuration from values.
    public init(writeKeys: SegmentWriteKeys, ratePerKey: Double? = nil, burst: Double? = nil) {
        self.writeKeys = writeKeys
        self.ratePerKey = ratePerKey
        self.burst = burst ?? max(1, ratePerKey ?? 1)
    }

    /// Reads the variables above from `environment`.
    public init(environment: [String: String]) throws(SegmentAPIConfigurationError) {
        let inline = environment["HERALD_EDGE_WRITE_KEYS"].flatMap { $0.isEmpty ? nil : $0 }
        let file = environment["HERALD_EDGE_WRITE_KEYS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        var keys: [String]
        switch (inline, file) {
        case (.some, .some): throw .bothKeySources
        case (let text?, nil): keys = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case (nil, let path?):
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw .unreadableKeyFile(path: path, reason: (error as NSError).localizedDescription)
            }
            keys = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") }
        case (nil, nil): throw .noWriteKeys
        }
        keys = keys.filter { !$0.isEmpty }
        guard !keys.isEmpty else { throw .noWriteKeys }
        let rate = try Self.number("HERALD_EDGE_RATE_PER_KEY", environment)
        let burst = try Self.number("HERALD_EDGE_RATE_BURST", environment)
        self.init(writeKeys: SegmentWriteKeys(keys), ratePerKey: rate.flatMap { $0 > 0 ? $0 : nil }, burst: burst)
    }

    /// The configuration when `HERALD_EDGE_WRITE_KEYS` or `HERALD_EDGE_WRITE_KEYS_FILE` is set,
    /// `nil` when neither is (an edge serving only other routes); a bad value throws.
    public static func ifConfigured(environment: [String: String]) throws(SegmentAPIConfigurationError) -> SegmentAPIConfiguration? {
        let set = ["HERALD_EDGE_WRITE_KEYS", "HERALD_EDGE_WRITE_KEYS_FILE"].contains { !(environment[$0] ?? "").isEmpty }
        return set ? try SegmentAPIConfiguration(environment: environment) : nil
    }

    private static func number(_ variable: String, _ environment: [String: String]) throws(SegmentAPIConfigurationError) -> Double? {
        do {
            return try ConfigurationCatalogue.herald.number(variable, in: environment)
        } catch {
            throw .invalid(variable: variable, value: environment[variable] ?? "", expected: "a number of events ≥ 0")
        }
    }
}
