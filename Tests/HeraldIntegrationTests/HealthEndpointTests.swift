import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// Liveness apart from readiness, through a real process and a Redis that goes away and comes back.
@Suite struct HealthEndpointTests {
    @Test func readinessFollowsRedisWithinSecondsWhileTheProcessStaysLive() async throws {
        let fleet = try FleetHarness(journeys: [])
        let port = try FreePort.find()
        try fleet.start("herald-ingestor", ["HERALD_METRICS_PORT": String(port)])
        #expect(try await eventually { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 })
        #expect(LoopbackHTTP.get(port: port, "/livez")?.status == 200)
        #expect(LoopbackHTTP.get(port: port, "/metrics")?.status == 200)

        fleet.redis.stop()
        let lost = Date()
        #expect(try await eventually(timeout: 3) { LoopbackHTTP.get(port: port, "/readyz")?.status == 503 }, "not ready within 3 s of losing Redis")
        let notReady = try #require(LoopbackHTTP.get(port: port, "/healthz"))
        #expect(notReady.status == 503 && notReady.body.contains("Redis"), "\(notReady.body)")
        #expect(LoopbackHTTP.get(port: port, "/livez")?.status == 200, "still live: its loops keep turning")
        #expect(Date().timeIntervalSince(lost) < 10)

        try fleet.redis.start()
        #expect(try await eventually(timeout: 1) { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "ready within 1 s of Redis's return")
        _ = fleet.stopAll()
    }
}
