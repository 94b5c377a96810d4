import Foundation

/// One key family's share of Redis memory in the timer benchmark's breakdown: the keys of one name
/// (`state`, `trail-log`, `timers`…, the part after the prefix and the partition's hash tag) and
/// the sum of their `MEMORY USAGE`.
public struct TimerBenchmarkKeyFamily: Sendable, Hashable {
    /// The family's name (`family(of:prefix:)`).
    public var name: String
    /// How many keys of the family there are.
    public var keys: Int
    /// The sum of the keys' `MEMORY USAGE … SAMPLES 0`, in bytes.
    public var bytes: Int64

    /// Creates a family's share.
    public init(name: String, keys: Int, bytes: Int64) {
        self.name = name
        self.keys = keys
        self.bytes = bytes
    }

    /// The family of a key: its first name after `prefix:` and any hash tag (`herald:{p3}:state:u1`
    /// is `state`, `herald:ingest` is `ingest`); a key outside the prefix is named whole up to its first `:`.
    public static func family(of key: String, prefix: String) -> String {
        var rest = Substring(key)
        if rest.hasPrefix(prefix + ":") { rest = rest.dropFirst(prefix.count + 1) }
        if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") { rest = rest[rest.index(after: close)...].drop { $0 == ":" } }
        return String(rest.prefix { $0 != ":" })
    }

    /// Sums each key's bytes into its family, costliest family first (then by name).
    public static func group(_ usage: [(key: String, bytes: Int64)], prefix: String) -> [TimerBenchmarkKeyFamily] {
        var families: [String: TimerBenchmarkKeyFamily] = [:]
        for (key, bytes) in usage {
            let name = family(of: key, prefix: prefix)
            families[name, default: TimerBenchmarkKeyFamily(name: name, keys: 0, bytes: 0)].keys += 1
            families[name, default: TimerBenchmarkKeyFamily(name: name, keys: 0, bytes: 0)].bytes += bytes
        }
        return families.values.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name < $1.name }
    }

    /// The families as `name bytes-per-item (N keys)`, bytes divided by `count` (timers or
    /// instances), for one line of the report.
    public static func describe(_ families: [TimerBenchmarkKeyFamily], per count: Int) -> String {
        families.map { "\($0.name) \(String(format: "%.1f", Double($0.bytes) / Double(max(count, 1)))) (\($0.keys) keys)" }
            .joined(separator: ", ")
    }
}
