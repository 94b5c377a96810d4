import Foundation

/// The standard `process_*` metrics, read from `/proc/self` when a scrape asks for them (a few
/// small file reads, no Redis).
public enum ProcessMetrics {
    /// Sets CPU time, resident memory, open descriptors and start time in `metrics`, and in
    /// cluster mode what the process's cluster clients sent; a value that cannot be read is left
    /// as it was.
    public static func sample(into metrics: Metrics) {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            // Fields after the command name (which may hold spaces): state is field 3, utime 14,
            // stime 15, starttime 22, rss 24 (1-based, as in proc(5)).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Double? { fields.indices.contains(number - 3) ? Double(fields[number - 3]) : nil }
            if let user = field(14), let system = field(15), ticks > 0 {
                metrics.set(.processCPU, to: (user + system) / ticks)
            }
            if let rss = field(24) { metrics.set(.processResidentMemory, to: rss * pageSize) }
            if let start = field(22), let boot = bootTime(), ticks > 0 {
                metrics.set(.processStartTime, to: boot + start / ticks)
            }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            metrics.set(.processOpenFDs, to: Double(descriptors.count))
        }
        let cluster = RedisClusterStatistics.process
        if !cluster.commandsByNode.isEmpty {
            for (node, commands) in cluster.commandsByNode {
                metrics.set(.redisClusterCommands, to: Double(commands), ["node": node.description])
            }
            metrics.set(.redisClusterCrossNodeCommands, to: Double(cluster.crossNodeCommands))
            metrics.set(.redisClusterRedirects, to: Double(cluster.redirects))
        }
    }

    /// The `btime` line of /proc/stat: boot time in seconds since the epoch.
    private static func bootTime() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
