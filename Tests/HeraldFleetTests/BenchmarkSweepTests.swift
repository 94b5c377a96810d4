import Testing
import HeraldFleet

/// Which rates a sweep runs and where it puts the knee.
@Suite struct BenchmarkSweepTests {
    /// A fleet that keeps up with every rate up to `capacity`, with p99 `p99` there.
    private func point(_ rate: Int, capacity: Int, p99: Double = 5) -> BenchmarkRatePoint {
        let keptUp = rate <= capacity
        return BenchmarkRatePoint(
            rate: rate, achievedRate: Double(rate), backlog: keptUp ? 0 : rate, keptUp: keptUp,
            latency: BenchmarkLatency(Array(repeating: keptUp ? p99 : 5000, count: 100)))
    }

    /// Runs an automatic sweep against a fleet of `capacity`; returns the rates in order.
    private func runAuto(capacity: Int) -> (rates: [Int], knee: Int?) {
        let sweep = BenchmarkSweep(argument: "auto", p99BoundMilliseconds: 25)!
        var points: [BenchmarkRatePoint] = []
        while let rate = sweep.next(after: points), points.count < 50 {
            points.append(point(rate, capacity: capacity))
        }
        return (points.map(\.rate), sweep.knee(points)?.rate)
    }

    @Test func aListParsesAndRunsInOrder() throws {
        let sweep = try #require(BenchmarkSweep(argument: "1000, 4000,2000", p99BoundMilliseconds: 25))
        #expect(sweep.plan == .rates([1000, 4000, 2000]))
        var points: [BenchmarkRatePoint] = []
        while let rate = sweep.next(after: points) { points.append(point(rate, capacity: 3000)) }
        #expect(points.map(\.rate) == [1000, 4000, 2000])
        #expect(sweep.knee(points)?.rate == 2000)
    }

    @Test func badListsAreRefused() {
        #expect(BenchmarkSweep(argument: "", p99BoundMilliseconds: 25) == nil)
        #expect(BenchmarkSweep(argument: "1000,fast", p99BoundMilliseconds: 25) == nil)
        #expect(BenchmarkSweep(argument: "1000,0", p99BoundMilliseconds: 25) == nil)
        #expect(BenchmarkSweep(argument: "1000,,2000", p99BoundMilliseconds: 25) == nil)
        #expect(BenchmarkSweep(argument: "auto", p99BoundMilliseconds: 25)?.plan == .auto)
    }

    @Test func autoDoublesUntilAFailThenBisects() {
        let run = runAuto(capacity: 10_000)
        #expect(run.rates == [1000, 2000, 4000, 8000, 16_000, 12_000, 10_000])
        #expect(run.knee == 10_000)
    }

    @Test func autoFindsAKneeWithinAQuarterBelowTheCapacity() {
        for capacity in [150, 700, 3300, 27_000, 90_000] {
            let run = runAuto(capacity: capacity)
            let knee = run.knee ?? 0
            #expect(knee <= capacity, "capacity \(capacity): knee \(knee)")
            #expect(Double(knee) >= Double(capacity) * 0.75 - 100, "capacity \(capacity): knee \(knee), rates \(run.rates)")
        }
    }

    @Test func autoHalvesWhenTheFirstRateFails() {
        let run = runAuto(capacity: 300)
        #expect(Array(run.rates.prefix(3)) == [1000, 500, 250])
        #expect(run.knee == 300)
    }

    @Test func autoStopsWithNoKneeWhenEvenTheLowestRateFails() {
        let run = runAuto(capacity: 50)
        #expect(run.rates == [1000, 500, 250, 125])
        #expect(run.knee == nil)
    }

    @Test func autoStopsAtItsMaximum() {
        let run = runAuto(capacity: 10_000_000)
        #expect(run.rates.last == 256_000)
        #expect(run.knee == 256_000)
    }

    @Test func aRateKeptUpWithButOverTheP99BoundFails() {
        let sweep = BenchmarkSweep(argument: "1000,2000", p99BoundMilliseconds: 25)!
        let points = [point(1000, capacity: 5000, p99: 20), point(2000, capacity: 5000, p99: 30)]
        #expect(sweep.passes(points[0]))
        #expect(!sweep.passes(points[1]))
        #expect(sweep.knee(points)?.rate == 1000)
    }

    @Test func theSummaryNamesTheKneeOrSaysThereIsNone() {
        let sweep = BenchmarkSweep(argument: "1000,2000", p99BoundMilliseconds: 25)!
        let passed = sweep.summary([point(1000, capacity: 1500), point(2000, capacity: 1500)], replicas: 2)
        #expect(passed.contains("herald-bench-sweep replicas=2 p99_bound_ms=25.0 knee_per_s=1000 "))
        #expect(passed.contains("rates=1000:pass,2000:fail"))
        let failed = sweep.summary([point(1000, capacity: 10)], replicas: 1)
        #expect(failed.contains("knee_per_s=0"))
    }
}
