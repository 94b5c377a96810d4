import Foundation
import HeraldCore

extension Benchmark {
    /// One run with the producer paced at `pacing.rate` events per second for `pacing.seconds`:
    /// latency at a steady rate rather than the time a queue takes to drain.
    public func run(pacing: BenchmarkPacing) async throws -> Report {
        let session = try await open(yardstick: false)
        let report = try await measure(session, label: runLabel + "r\(pacing.rate)-", pacing: pacing)
        await session.connection.close()
        return report
    }

    /// The sweep's rates in turn, `seconds` each, on one fleet (the identifies are sent once);
    /// `each` is given every run's report as it ends. Returns the reports in the order run.
    public func sweep(_ sweep: BenchmarkSweep, seconds: Int, each: (Report) -> Void) async throws -> [Report] {
        let session = try await open(yardstick: false)
        var reports: [Report] = []
        while let rate = sweep.next(after: reports.compactMap(\.point)) {
            let report = try await measure(session, label: runLabel + "s\(reports.count)-", pacing: BenchmarkPacing(rate: rate, seconds: seconds))
            each(report)
            reports.append(report)
        }
        await session.connection.close()
        return reports
    }

    /// Sends the run's track events on `pacing`'s schedule: wakes every millisecond tick and
    /// sends what has fallen due since the last as one pipeline, so a slow tick is made up in the
    /// next batch. Returns the time from the start to the last XADD's reply.
    func producePaced(_ pacing: BenchmarkPacing, label: String, _ session: BenchmarkSession) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        var sent = 0
        var tick = 1
        while sent < pacing.total {
            try await clock.sleep(until: start + BenchmarkPacing.tick * tick, tolerance: .zero)
            let elapsed = clock.now - start
            let due = pacing.due(after: elapsed)
            if due > sent {
                try await session.publisher.publish(payloads: (sent..<due).map { track(label, $0) }, connection: session.connection)
                sent = due
            }
            // Ticks already past are not slept for one by one: their events went in this batch.
            tick = max(tick + 1, Int((clock.now - start) / BenchmarkPacing.tick) + 1)
        }
        return clock.now - start
    }
}
