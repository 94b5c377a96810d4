import Foundation

/// A fleet process the benchmark watches: its CPU time (utime + stime of `/proc/PID/stat`) and its
/// peak resident memory (`VmHWM` of `/proc/PID/status`).
public struct BenchmarkProcess: Sendable, Hashable {
    /// What the report calls it (`herald-evaluator`, `herald-evaluator.2`, `redis-server`,
    /// `redis-server@7001`); no `,`, `=` or `:`, which the option and the machine line use.
    public var name: String
    /// Its process id.
    public var pid: Int32

    /// Creates a watched process.
    public init(name: String, pid: Int32) {
        self.name = name
        self.pid = pid
    }

    /// Parses `name=pid,name=pid,…` (the `--pids` option); nil when an item is not `name=pid` or
    /// its name holds a `:`.
    public static func list(_ argument: String) -> [BenchmarkProcess]? {
        var processes: [BenchmarkProcess] = []
        for item in argument.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains(":"), let pid = Int32(parts[1]), pid > 0 else { return nil }
            processes.append(BenchmarkProcess(name: String(parts[0]), pid: pid))
        }
        return processes
    }

    /// Now: CPU seconds so far and the peak resident memory; nil when the process is gone.
    public func sample() -> BenchmarkProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let cpu = Self.cpuSeconds(stat: stat, ticksPerSecond: Self.ticksPerSecond)
        else { return nil }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return BenchmarkProcessSample(cpuSeconds: cpu, peakResidentBytes: Self.peakResidentBytes(status: status) ?? 0)
    }

    /// utime + stime of a `/proc/PID/stat` line, in seconds. The fields are counted after the
    /// last `)`, because the command name in parentheses may itself hold spaces and parentheses.
    public static func cpuSeconds(stat: String, ticksPerSecond: Double) -> Double? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After the name: state (field 3) … utime (14) and stime (15).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]), ticksPerSecond > 0 else { return nil }
        return (user + system) / ticksPerSecond
    }

    /// `VmHWM` of a `/proc/PID/status` text, in bytes.
    public static func peakResidentBytes(status: String) -> Int64? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            // "VmHWM:\t   12345 kB": the kernel always writes kB (KiB).
            let parts = line.dropFirst("VmHWM:".count).split { $0 == " " || $0 == "\t" }
            guard parts.count == 2, parts[1] == "kB", let value = Int64(parts[0]) else { return nil }
            return value * 1024
        }
        return nil
    }

    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`), the unit of `/proc/PID/stat`'s times.
    static let ticksPerSecond: Double = {
        #if canImport(Glibc)
            return Double(sysconf(Int32(_SC_CLK_TCK)))
        #else
            return 100
        #endif
    }()
}
