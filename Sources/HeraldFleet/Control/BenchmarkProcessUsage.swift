import Foundation

/// What one watched process spent while the track events flowed, and its peak memory.
public struct BenchmarkProcessUsage: Sendable, Hashable {
    /// The process's name in the report.
    public var name: String
    /// CPU seconds (user + system) between the two samples.
    public var cpuSeconds: Double
    /// Its peak resident memory at the second sample, in bytes.
    public var peakResidentBytes: Int64
    /// Whether it is a Redis server (its CPU is also in the Redis line; the fleet total leaves it out).
    public var isRedis: Bool

    /// Creates a usage record.
    public init(name: String, cpuSeconds: Double, peakResidentBytes: Int64, isRedis: Bool) {
        self.name = name
        self.cpuSeconds = cpuSeconds
        self.peakResidentBytes = peakResidentBytes
        self.isRedis = isRedis
    }

    /// The usage between `before` and `after`.
    public init(_ process: BenchmarkProcess, before: BenchmarkProcessSample, after: BenchmarkProcessSample, isRedis: Bool) {
        self.init(name: process.name, cpuSeconds: max(0, after.cpuSeconds - before.cpuSeconds), peakResidentBytes: after.peakResidentBytes, isRedis: isRedis)
    }

    /// CPU microseconds per event of `events`.
    public func microsecondsPerEvent(_ events: Int) -> Double {
        events > 0 ? cpuSeconds * 1_000_000 / Double(events) : 0
    }

    /// Peak resident memory in MiB.
    public var peakResidentMiB: Double { Double(peakResidentBytes) / 1_048_576 }
}
