/// Quantiles of the XADD→provider-call latencies of one run, in milliseconds (nearest rank).
public struct BenchmarkLatency: Sendable, Hashable {
    /// How many latencies there were.
    public var count: Int
    /// The median.
    public var p50: Double
    /// The 99th percentile.
    public var p99: Double
    /// The 99.9th percentile.
    public var p999: Double
    /// The largest.
    public var maximum: Double

    /// The quantiles of `values`, in any order; all zero when there are none.
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        p50 = Self.quantile(sorted, 0.5)
        p99 = Self.quantile(sorted, 0.99)
        p999 = Self.quantile(sorted, 0.999)
        maximum = sorted.last ?? 0
    }

    /// The `q` quantile (nearest rank) of sorted `values`.
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        values.isEmpty ? 0 : values[min(values.count - 1, Int((Double(values.count - 1) * q).rounded()))]
    }
}
