import HeraldTestSupport
import Testing

@testable import HeraldCore

@Suite struct RuntimePieceTests {
    @Test func scriptsAreNamedByTheSHA1RedisComputes() {
        // `redis-cli SCRIPT LOAD "return 1"` prints this digest.
        #expect(RedisScript(name: "t", source: "return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
        #expect(HeraldScripts.ingest.source.contains("KEYS[3]"))
    }

    @Test func backoffGrowsWithinItsBoundsAndResets() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1))
        let delays = (0..<8).map { _ in backoff.next() }
        #expect(delays.allSatisfy { $0 >= .milliseconds(50) && $0 <= .seconds(1) })
        #expect(delays.last! >= .milliseconds(500))
        backoff.reset()
        #expect(backoff.next() <= .milliseconds(100))
    }

    @Test func gracefulShutdownWakesWaitersAndSleepers() async throws {
        let shutdown = GracefulShutdown()
        async let slept = shutdown.sleep(for: .seconds(30))
        // The sleeper is parked before the trigger, so this is the wake-up and not the early return.
        #expect(try await eventually { shutdown.waiterCount == 1 })
        shutdown.trigger()
        #expect(await slept == false)
        await shutdown.wait()
        #expect(shutdown.isTriggered)
        #expect(await GracefulShutdown().sleep(for: .milliseconds(10)))
    }
}
