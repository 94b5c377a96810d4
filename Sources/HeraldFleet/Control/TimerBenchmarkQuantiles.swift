import Foundation

/// Lateness quantiles of one timer-benchmark round, in milliseconds.
struct TimerBenchmarkQuantiles {
    var p50: Double
    var p99: Double
    var max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        p50 = TimerBenchmark.quantile(sorted, 0.5)
        p99 = TimerBenchmark.quantile(sorted, 0.99)
        max = sorted.last ?? 0
    }

    var text: String { String(format: "p50 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p99, max) }
}
