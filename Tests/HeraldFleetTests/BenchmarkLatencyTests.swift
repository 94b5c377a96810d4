import Testing
import HeraldFleet

/// The latency quantiles the benchmark prints.
@Suite struct BenchmarkLatencyTests {
    @Test func quantilesAreNearestRanksOfTheSortedValues() {
        let values = (1...1000).map(Double.init).shuffled()
        let latency = BenchmarkLatency(values)
        #expect(latency.count == 1000)
        #expect(latency.p50 == 501)
        #expect(latency.p99 == 990)
        #expect(latency.p999 == 999)
        #expect(latency.maximum == 1000)
    }

    @Test func twoSlowValuesInAThousandShowOnlyAtTheTop() {
        let latency = BenchmarkLatency(Array(repeating: 2.0, count: 998) + [400, 400])
        #expect(latency.p99 == 2)
        #expect(latency.p999 == 400)
        #expect(latency.maximum == 400)
    }

    @Test func noValuesGiveZeros() {
        let latency = BenchmarkLatency([])
        #expect(latency.count == 0)
        #expect(latency.p50 == 0 && latency.p99 == 0 && latency.p999 == 0 && latency.maximum == 0)
    }
}
