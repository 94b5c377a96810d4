import Testing
import HeraldFleet

/// The timer benchmark's memory breakdown by key family.
@Suite struct TimerBenchmarkKeyFamilyTests {
    @Test func aFamilyIsTheFirstNameAfterThePrefixAndHashTag() {
        #expect(TimerBenchmarkKeyFamily.family(of: "herald:{p3}:state:u1", prefix: "herald") == "state")
        #expect(TimerBenchmarkKeyFamily.family(of: "herald:{p12}:trail-log:u:with:colons", prefix: "herald") == "trail-log")
        #expect(TimerBenchmarkKeyFamily.family(of: "herald:{i1}:ingest", prefix: "herald") == "ingest")
        #expect(TimerBenchmarkKeyFamily.family(of: "herald:ingest", prefix: "herald") == "ingest")
        #expect(TimerBenchmarkKeyFamily.family(of: "herald:journeys:revision", prefix: "herald") == "journeys")
        #expect(TimerBenchmarkKeyFamily.family(of: "other:{p1}:state:u1", prefix: "herald") == "other")
    }

    @Test func bytesAreSummedPerFamilyCostliestFirst() {
        let families = TimerBenchmarkKeyFamily.group(
            [("h:{p0}:state:a", 300), ("h:{p1}:state:b", 320), ("h:{p0}:timers", 900), ("h:{p0}:lease", 60)], prefix: "h")
        #expect(families == [
            TimerBenchmarkKeyFamily(name: "timers", keys: 1, bytes: 900), TimerBenchmarkKeyFamily(name: "state", keys: 2, bytes: 620),
            TimerBenchmarkKeyFamily(name: "lease", keys: 1, bytes: 60),
        ])
        #expect(TimerBenchmarkKeyFamily.describe(families, per: 4) == "timers 225.0 (1 keys), state 155.0 (2 keys), lease 15.0 (1 keys)")
    }

    @Test func equalBytesAreOrderedByName() {
        let families = TimerBenchmarkKeyFamily.group([("h:{p0}:b", 10), ("h:{p0}:a", 10)], prefix: "h")
        #expect(families.map(\.name) == ["a", "b"])
    }
}
