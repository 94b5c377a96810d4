import Foundation

/// The timer benchmark's figures, kept in a small `key=value` file between its phases (each phase
/// is a separate `herald-bench timers` run against a different set of processes), so the last
/// phase can print every figure on one machine-readable line.
public struct TimerBenchmarkResults: Sendable {
    /// The figures by key.
    public var values: [String: String]

    /// The keys of the machine-readable line, in order.
    public static let keys = [
        "pending", "p50_ms", "p99_ms", "max_ms", "burst", "fired_per_s", "bytes_per_timer", "bytes_per_instance",
        "fired_per_s_2r", "landed_p99_ms", "live_wake_p99_ms", "live_nowake_p99_ms", "instances",
    ]

    /// Creates results from figures.
    public init(values: [String: String] = [:]) { self.values = values }

    /// Reads the figures kept in `file`; none when it does not exist yet.
    public init(contentsOf file: URL) {
        var values: [String: String] = [:]
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
        }
        self.init(values: values)
    }

    /// Writes the figures to `file`.
    public func write(to file: URL) throws {
        let text = values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        try Data(text.utf8).write(to: file)
    }

    /// `herald-bench-timers pending=… p50_ms=… …`; a figure not measured yet reads `-`.
    public var machineLine: String {
        "herald-bench-timers " + Self.keys.map { "\($0)=\(values[$0] ?? "-")" }.joined(separator: " ")
    }
}
