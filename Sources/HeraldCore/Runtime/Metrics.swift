import Synchronization

/// Counters and gauges of one process, exposed in the Prometheus text format.
public final class Metrics: Sendable {
    private struct Series: Hashable {
        var name: String
        var labels: [String: String]

        var text: String {
            if labels.isEmpty { return name }
            let rendered = labels.keys.sorted().map { key in
                let value = labels[key]!.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                return "\(key)=\"\(value)\""
            }
            return "\(name){\(rendered.joined(separator: ","))}"
        }
    }

    private struct State {
        var counters: [Series: Double] = [:]
        var gauges: [Series: Double] = [:]
        var help: [String: (type: String, text: String)] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    /// Adds `amount` to a counter.
    public func increment(_ name: String, by amount: Double = 1, labels: [String: String] = [:], help: String = "") {
        state.withLock { state in
            state.counters[Series(name: name, labels: labels), default: 0] += amount
            if state.help[name] == nil { state.help[name] = ("counter", help) }
        }
    }

    /// Sets a gauge.
    public func set(_ name: String, to value: Double, labels: [String: String] = [:], help: String = "") {
        state.withLock { state in
            state.gauges[Series(name: name, labels: labels)] = value
            if state.help[name] == nil { state.help[name] = ("gauge", help) }
        }
    }

    /// The current value of a counter (for tests and status output).
    public func counter(_ name: String, labels: [String: String] = [:]) -> Double {
        state.withLock { $0.counters[Series(name: name, labels: labels)] ?? 0 }
    }

    /// Everything in the Prometheus text exposition format.
    public func prometheusText() -> String {
        state.withLock { state in
            var lines: [String] = []
            let all = state.counters.map { ($0.key, $0.value) } + state.gauges.map { ($0.key, $0.value) }
            let byName = Dictionary(grouping: all) { $0.0.name }
            for name in byName.keys.sorted() {
                if let help = state.help[name] {
                    if !help.text.isEmpty { lines.append("# HELP \(name) \(help.text)") }
                    lines.append("# TYPE \(name) \(help.type)")
                }
                for (series, value) in byName[name]!.sorted(by: { $0.0.text < $1.0.text }) {
                    lines.append("\(series.text) \(JSONValue.format(value))")
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
