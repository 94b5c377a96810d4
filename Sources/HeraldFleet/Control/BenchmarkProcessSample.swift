/// One reading of a watched process.
public struct BenchmarkProcessSample: Sendable, Hashable {
    /// User and system CPU time since the process started, in seconds.
    public var cpuSeconds: Double
    /// The peak resident set size since the process started (`VmHWM`), in bytes.
    public var peakResidentBytes: Int64

    /// Creates a sample.
    public init(cpuSeconds: Double, peakResidentBytes: Int64) {
        self.cpuSeconds = cpuSeconds
        self.peakResidentBytes = peakResidentBytes
    }
}
