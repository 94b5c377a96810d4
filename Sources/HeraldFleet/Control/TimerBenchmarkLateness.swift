import Foundation

/// One timer-benchmark round's lateness: by the scheduler's clock (`firedAt − dueAt`) and by
/// Redis's clock (the events-stream entry id's time − `dueAt`, i.e. when the entry landed).
struct TimerBenchmarkLateness {
    var fired: TimerBenchmarkQuantiles
    var landed: TimerBenchmarkQuantiles
    var count: Int

    var line: String { "firedAt−dueAt \(fired.text); landed−dueAt p99 \(String(format: "%.1f", landed.p99)) ms (n=\(count))" }
}
