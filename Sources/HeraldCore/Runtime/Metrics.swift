import Foundation
import Synchronization

/// The counters, gauges and histograms of one process, exposed in the Prometheus text format
/// (version 0.0.4): every family with `# HELP` and `# TYPE`, histograms as cumulative `_bucket`
/// series ending in `le="+Inf"` plus `_sum` and `_count`, label values escaped.
///
/// Families are declared once as `MetricFamily` values; a family is listed from its first use or
/// from `register(_:)`, whichever comes first.
public final class Metrics: Sendable {
    private struct Histogram {
        var buckets: [Double]
        var counts: [Double]
        var sum: Double = 0
        var count: Double = 0

        init(buckets: [Double]) {
            self.buckets = buckets
            counts = Array(repeating: 0, count: buckets.count)
        }

        mutating func observe(_ value: Double) {
            for index in buckets.indices where value <= buckets[index] { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    private struct State {
        var families: [String: MetricFamily] = [:]
        var values: [String: [[String]: Double]] = [:]
        var histograms: [String: [[String]: Histogram]] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    /// Lists `families` (with their help and type) even before anything is recorded in them; an
    /// unlabelled counter or gauge starts at 0.
    public func register(_ families: [MetricFamily]) {
        state.withLock { state in
            for family in families {
                Self.declare(family, in: &state)
                if family.labels.isEmpty, family.kind == .counter || family.kind == .gauge {
                    state.values[family.name, default: [:]][[], default: 0] += 0
                }
            }
        }
    }

    /// Adds `amount` to a counter.
    public func increment(_ family: MetricFamily, by amount: Double = 1, _ labels: [String: String] = [:]) {
        let values = Self.labelValues(family, labels)
        state.withLock { state in
            Self.declare(family, in: &state)
            state.values[family.name, default: [:]][values, default: 0] += amount
        }
    }

    /// Sets a gauge (or a counter whose total is read from elsewhere, like CPU time).
    public func set(_ family: MetricFamily, to value: Double, _ labels: [String: String] = [:]) {
        let values = Self.labelValues(family, labels)
        state.withLock { state in
            Self.declare(family, in: &state)
            state.values[family.name, default: [:]][values] = value
        }
    }

    /// Removes every series of a gauge that matches `scope` (all series when it is empty) and
    /// whose labels are not in `keep`: for sampled gauges whose subjects come and go (a stream
    /// deleted, a partition no longer leased).
    public func retain(_ family: MetricFamily, only keep: [[String: String]], within scope: [String: String] = [:]) {
        let kept = Set(keep.map { Self.labelValues(family, $0) })
        let scoped = family.labels.enumerated().compactMap { index, name in scope[name].map { (index, $0) } }
        state.withLock { state in
            state.values[family.name] = state.values[family.name]?.filter { values, _ in
                kept.contains(values) || !scoped.allSatisfy { values[$0.0] == $0.1 }
            }
        }
    }

    /// Records one observation in a histogram.
    public func observe(_ family: MetricFamily, _ value: Double, _ labels: [String: String] = [:]) {
        guard case .histogram(let buckets) = family.kind else { return }
        let values = Self.labelValues(family, labels)
        state.withLock { state in
            Self.declare(family, in: &state)
            state.histograms[family.name, default: [:]][values, default: Histogram(buckets: buckets)].observe(value)
        }
    }

    /// The current value of a counter or gauge series, 0 when it has none (for tests and status output).
    public func value(_ family: MetricFamily, _ labels: [String: String] = [:]) -> Double {
        let values = Self.labelValues(family, labels)
        return state.withLock { $0.values[family.name]?[values] ?? 0 }
    }

    /// How many observations a histogram series holds.
    public func observations(_ family: MetricFamily, _ labels: [String: String] = [:]) -> Double {
        let values = Self.labelValues(family, labels)
        return state.withLock { $0.histograms[family.name]?[values]?.count ?? 0 }
    }

    /// Everything in the Prometheus text exposition format, families sorted by name.
    public func prometheusText() -> String {
        state.withLock { state in
            var out = ""
            for name in state.families.keys.sorted() {
                let family = state.families[name]!
                out += "# HELP \(name) \(Self.escapeHelp(family.help))\n# TYPE \(name) \(family.kind.typeName)\n"
                if case .histogram(let buckets) = family.kind {
                    for (values, histogram) in (state.histograms[name] ?? [:]).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                        let labels = Self.pairs(family.labels, values)
                        for (bound, count) in zip(buckets, histogram.counts) {
                            out += "\(name)_bucket\(Self.render(labels + [("le", Self.number(bound))])) \(Self.number(count))\n"
                        }
                        out += "\(name)_bucket\(Self.render(labels + [("le", "+Inf")])) \(Self.number(histogram.count))\n"
                        out += "\(name)_sum\(Self.render(labels)) \(Self.number(histogram.sum))\n"
                        out += "\(name)_count\(Self.render(labels)) \(Self.number(histogram.count))\n"
                    }
                } else {
                    for (values, value) in (state.values[name] ?? [:]).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                        out += "\(name)\(Self.render(Self.pairs(family.labels, values))) \(Self.number(value))\n"
                    }
                }
            }
            return out
        }
    }

    // MARK: Text format

    private static func declare(_ family: MetricFamily, in state: inout State) {
        if state.families[family.name] == nil { state.families[family.name] = family }
    }

    /// The label values in the family's label order; a label the family does not declare is dropped
    /// and a missing one is empty, so a call site's mistake never produces a second shape of series.
    private static func labelValues(_ family: MetricFamily, _ labels: [String: String]) -> [String] {
        family.labels.map { labels[$0] ?? "" }
    }

    private static func pairs(_ names: [String], _ values: [String]) -> [(String, String)] {
        Array(zip(names, values))
    }

    private static func render(_ pairs: [(String, String)]) -> String {
        if pairs.isEmpty { return "" }
        return "{" + pairs.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Help text escapes backslash and line feed.
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value or bucket bound: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
