import Testing
import HeraldFleet

/// The paced producer's schedule: how many events are due after a given time, and when a run
/// counts as kept up.
@Suite struct BenchmarkPacingTests {
    @Test func nothingIsDueAtTheStartAndEverythingAtTheEnd() {
        let pacing = BenchmarkPacing(rate: 2000, seconds: 10)
        #expect(pacing.total == 20_000)
        #expect(pacing.due(after: .zero) == 0)
        #expect(pacing.due(after: .seconds(10)) == 20_000)
        #expect(pacing.due(after: .seconds(60)) == 20_000)
    }

    @Test func dueGrowsWithTheRateWithinTheRun() {
        let pacing = BenchmarkPacing(rate: 2000, seconds: 10)
        #expect(pacing.due(after: .milliseconds(1)) == 2)
        #expect(pacing.due(after: .microseconds(1500)) == 3)
        #expect(pacing.due(after: .milliseconds(500)) == 1000)
        #expect(pacing.due(after: .milliseconds(9999)) == 19_998)
    }

    @Test func oneTickPerMillisecondSendsSmallEvenBatchesThatAddUpToTheTotal() {
        let pacing = BenchmarkPacing(rate: 2500, seconds: 2)
        var sent = 0
        var largest = 0
        var perSecond = [0, 0]
        for tick in 1...2000 {
            let due = pacing.due(after: BenchmarkPacing.tick * tick)
            largest = max(largest, due - sent)
            perSecond[(tick - 1) / 1000] += due - sent
            sent = due
        }
        #expect(sent == pacing.total)
        // 2.5 events per millisecond: batches of 2 and 3, never a burst.
        #expect(largest == 3)
        #expect(perSecond == [2500, 2500])
    }

    @Test func aLateTickCatchesUpInOneBatch() {
        let pacing = BenchmarkPacing(rate: 2000, seconds: 10)
        let beforeStall = pacing.due(after: .milliseconds(2))
        let afterStall = pacing.due(after: .milliseconds(50))
        #expect(afterStall - beforeStall == 96)
    }

    @Test func keptUpNeedsTheRateReachedAndLittleLeftUndelivered() {
        let pacing = BenchmarkPacing(rate: 1000, seconds: 10)
        #expect(pacing.keptUp(achievedRate: 999, backlog: 0))
        #expect(pacing.keptUp(achievedRate: 950, backlog: 500))
        #expect(!pacing.keptUp(achievedRate: 949, backlog: 0))
        #expect(!pacing.keptUp(achievedRate: 1000, backlog: 501))
    }

    @Test func aRateOrDurationBelowOneIsRaisedToOne() {
        let pacing = BenchmarkPacing(rate: 0, seconds: -3)
        #expect(pacing.rate == 1)
        #expect(pacing.seconds == 1)
        #expect(pacing.total == 1)
    }
}
