import HeraldCore
import Testing

/// `HERALD_APPLIED_WINDOW_MS`: how long a partition remembers applied inputs, never as short as
/// the claim idle time after which an input is redelivered.
@Suite struct AppliedInputRetentionTests {
    @Test func theWindowDefaultsToFifteenMinutesAndIsReadFromTheEnvironment() throws {
        #expect(try AppliedInputRetention.fromEnvironment([:], claimIdleMilliseconds: 30_000) == .standard)
        #expect(AppliedInputRetention.standard.windowMilliseconds == 900_000 && AppliedInputRetention.standard.capacity == 100_000)
        let read = try AppliedInputRetention.fromEnvironment(["HERALD_APPLIED_WINDOW_MS": "45000"], claimIdleMilliseconds: 30_000)
        #expect(read.windowMilliseconds == 45_000 && read.capacity == 100_000)
        #expect(read.window == .milliseconds(45_000))
    }

    @Test func aWindowNoLongerThanTheClaimIdleTimeOrNotANumberIsRefusedByName() throws {
        for text in ["30000", "1000", "0", "-5", "15m"] {
            do {
                let read = try AppliedInputRetention.fromEnvironment(["HERALD_APPLIED_WINDOW_MS": text], claimIdleMilliseconds: 30_000)
                Issue.record("\(text) was accepted as \(read.windowMilliseconds) ms")
            } catch {
                #expect("\(error)".contains("HERALD_APPLIED_WINDOW_MS=\(text)"), "\(error)")
            }
        }
        #expect(try AppliedInputRetention.fromEnvironment(["HERALD_APPLIED_WINDOW_MS": "2000"], claimIdleMilliseconds: 1_000).windowMilliseconds == 2_000)
    }

    @Test func theApplyCommandCarriesTheWindowAndCapacity() {
        var operations = AtomicOperations()
        operations.delete(RedisKey("t:{p0}:state:u"))
        let retention = AppliedInputRetention(windowMilliseconds: 45_000, capacity: 7)
        let command = operations.command(
            lease: RedisKey("t:{p0}:lease"), leaseValue: nil, applied: RedisKey("t:{p0}:applied"), entryID: "1700000000000-0",
            retention: retention.window, capacity: retention.capacity)
        let words = command.arguments.map { String(decoding: $0, as: UTF8.self) }
        // EVALSHA sha numkeys KEYS… then ARGV: lease value, entry id, entry ms, window ms, capacity.
        guard let entry = words.firstIndex(of: "1700000000000-0") else {
            Issue.record("no entry id in \(words)")
            return
        }
        #expect(Array(words[(entry + 1)...(entry + 3)]) == ["1700000000000", "45000", "7"])
    }
}
