import Foundation

/// The rates a sweep runs and its knee: the highest rate the fleet kept up with while p99 stayed
/// within `p99BoundMilliseconds`. A list runs as given; `auto` doubles from `start` until a rate
/// fails (or halves when the first fails), then bisects between the best pass and the first fail
/// until they are within a quarter of the pass.
public struct BenchmarkSweep: Sendable, Hashable {
    /// Which rates to run.
    public enum Plan: Sendable, Hashable {
        /// These rates, in this order.
        case rates([Int])
        /// Rates chosen from the results so far.
        case auto
    }

    /// Which rates to run.
    public var plan: Plan
    /// The p99 a rate may reach and still pass, in milliseconds.
    public var p99BoundMilliseconds: Double
    /// The first rate of an automatic sweep.
    public var start: Int = 1000
    /// An automatic sweep goes no higher.
    public var maximum: Int = 256_000
    /// Nor lower.
    public var minimum: Int = 100

    /// Parses `R1,R2,…` or `auto`; nil for anything else (a rate must be a positive integer).
    public init?(argument: String, p99BoundMilliseconds: Double) {
        self.p99BoundMilliseconds = p99BoundMilliseconds
        if argument == "auto" {
            plan = .auto
            return
        }
        let rates = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !rates.isEmpty, rates.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        plan = .rates(rates.compactMap { $0 })
    }

    /// Whether `point` passes: kept up, p99 within the bound.
    public func passes(_ point: BenchmarkRatePoint) -> Bool {
        point.keptUp && point.latency.p99 <= p99BoundMilliseconds
    }

    /// The knee of `points`: the highest passing rate, or nil when none passed.
    public func knee(_ points: [BenchmarkRatePoint]) -> BenchmarkRatePoint? {
        points.filter(passes).max { $0.rate < $1.rate }
    }

    /// The next rate to run after `points`, or nil when the sweep is over.
    public func next(after points: [BenchmarkRatePoint]) -> Int? {
        switch plan {
        case .rates(let rates):
            return points.count < rates.count ? rates[points.count] : nil
        case .auto:
            guard let last = points.last else { return start }
            let passing = points.filter(passes).map(\.rate)
            guard let best = passing.max() else {
                let lowest = points.map(\.rate).min() ?? last.rate
                return lowest / 2 >= minimum ? lowest / 2 : nil
            }
            guard let failed = points.filter({ !passes($0) && $0.rate > best }).map(\.rate).min() else {
                return best * 2 <= maximum ? best * 2 : nil
            }
            guard failed - best > max(best / 4, minimum) else { return nil }
            let middle = (best + failed) / 2 / minimum * minimum
            return middle > best && middle < failed ? middle : nil
        }
    }

    /// The sweep's closing lines: the knee in words, then `herald-bench-sweep key=value …`.
    public func summary(_ points: [BenchmarkRatePoint], replicas: Int) -> String {
        let bound = String(format: "%.1f", p99BoundMilliseconds)
        let rates = points.map { "\($0.rate):\(passes($0) ? "pass" : "fail")" }.joined(separator: ",")
        guard let knee = knee(points) else {
            return """
                knee:              none: no rate was kept up with p99 ≤ \(bound) ms
                herald-bench-sweep replicas=\(replicas) p99_bound_ms=\(bound) knee_per_s=0 rates=\(rates)
                """
        }
        return """
            knee:              \(knee.rate) events/s, the highest rate kept up with p99 ≤ \(bound) ms (p99 there \(String(format: "%.1f", knee.latency.p99)) ms)
            herald-bench-sweep replicas=\(replicas) p99_bound_ms=\(bound) knee_per_s=\(knee.rate) knee_p99_ms=\(String(format: "%.1f", knee.latency.p99)) rates=\(rates)
            """
    }
}
