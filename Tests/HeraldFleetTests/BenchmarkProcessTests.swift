import Foundation
import Testing
import HeraldFleet

/// Reading a process's CPU time and peak memory from /proc.
@Suite struct BenchmarkProcessTests {
    @Test func cpuTimeIsUserPlusSystemCountedAfterTheName() {
        // A name with spaces and parentheses; utime 250 and stime 50 ticks are fields 14 and 15.
        let stat = "4242 (herald (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 1000 100000 2000"
        #expect(BenchmarkProcess.cpuSeconds(stat: stat, ticksPerSecond: 100) == 3.0)
        #expect(BenchmarkProcess.cpuSeconds(stat: "4242 (short) S 1", ticksPerSecond: 100) == nil)
        #expect(BenchmarkProcess.cpuSeconds(stat: "no name here", ticksPerSecond: 100) == nil)
    }

    @Test func peakMemoryIsVmHWMInBytes() {
        let status = "Name:\therald-evaluator\nVmPeak:\t  900000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t   10000 kB\n"
        let expected: Int64 = 12345 * 1024
        #expect(BenchmarkProcess.peakResidentBytes(status: status) == expected)
        #expect(BenchmarkProcess.peakResidentBytes(status: "Name:\tkthreadd\n") == nil)
    }

    @Test func thePidsOptionParses() {
        #expect(BenchmarkProcess.list("herald-ingestor=12,herald-evaluator.2=34") == [
            BenchmarkProcess(name: "herald-ingestor", pid: 12), BenchmarkProcess(name: "herald-evaluator.2", pid: 34),
        ])
        #expect(BenchmarkProcess.list("herald-ingestor") == nil)
        #expect(BenchmarkProcess.list("=12") == nil)
        #expect(BenchmarkProcess.list("a=-1") == nil)
        #expect(BenchmarkProcess.list("redis:7001=12") == nil)
    }

    @Test func usagePerEventIsTheCPUBetweenTwoSamplesOverTheEvents() {
        let process = BenchmarkProcess(name: "herald-evaluator", pid: 1)
        let usage = BenchmarkProcessUsage(
            process, before: BenchmarkProcessSample(cpuSeconds: 1.5, peakResidentBytes: 10 << 20),
            after: BenchmarkProcessSample(cpuSeconds: 2.25, peakResidentBytes: 30 << 20), isRedis: false)
        #expect(usage.cpuSeconds == 0.75)
        #expect(usage.microsecondsPerEvent(10_000) == 75)
        #expect(usage.peakResidentMiB == 30)
        #expect(usage.microsecondsPerEvent(0) == 0)
    }

    #if os(Linux)
        @Test func thisProcessCanBeSampled() throws {
            let me = BenchmarkProcess(name: "tests", pid: ProcessInfo.processInfo.processIdentifier)
            let first = try #require(me.sample())
            // Burn a little CPU so the second sample's time is not below the first's.
            var sum = 0
            for index in 0..<2_000_000 { sum &+= index &* 31 }
            let second = try #require(me.sample())
            #expect(sum != 0)
            #expect(second.cpuSeconds >= first.cpuSeconds)
            #expect(first.peakResidentBytes > 1 << 20)
        }
    #endif
}
