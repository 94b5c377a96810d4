import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// The `herald-edge` executable as operators run it: probes on its public port, unknown routes and
/// malformed requests answered with a clear 4xx, every request counted by route and status on the
/// metrics port and logged as a JSON line without its path or query, and a SIGTERM that first
/// turns `/readyz` to 503 for the readiness grace and then exits cleanly.
@Suite struct EdgeProcessTests {
    @Test func probesCountsAccessLogsAndAGracefulStop() async throws {
        let fleet = try FleetHarness(journeys: [])
        let port = try FreePort.find()
        let metricsPort = try FreePort.find()
        let edge = try fleet.start("herald-edge", [
            "HERALD_EDGE_HOST": "127.0.0.1", "HERALD_EDGE_PORT": String(port), "HERALD_METRICS_PORT": String(metricsPort),
            "HERALD_EDGE_READINESS_GRACE_MS": "1500",
        ])
        #expect(try await eventually { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "\(edge.log)")
        #expect(LoopbackHTTP.get(port: port, "/livez")?.status == 200)
        #expect(try await eventually { LoopbackHTTP.get(port: metricsPort, "/readyz")?.status == 200 }, "the process's own endpoint is ready too")
        // Metrics stay on the private port (this is the first of two 404s counted below).
        #expect(LoopbackHTTP.get(port: port, "/metrics")?.status == 404)

        let connection = try #require(RawHTTPConnection(port: port))
        let unknown = try #require(connection.request("GET", "/nope?token=very-secret-token"))
        #expect(unknown.status == 404)
        let wrongMethod = try #require(connection.request("POST", "/livez"))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, HEAD")
        let garbage = try #require(RawHTTPConnection(port: port))
        garbage.send("NOT HTTP AT ALL\r\n\r\n")
        #expect(garbage.readResponse().map { $0.status == 400 } ?? garbage.closesWithin(.seconds(2)))

        #expect(try await eventually {
            let text = LoopbackHTTP.get(port: metricsPort, "/metrics")?.body ?? ""
            return text.contains(#"herald_http_requests_total{route="unknown",status="404"} 2"#)
                && text.contains(#"herald_http_requests_total{route="livez",status="405"} 1"#)
                && text.contains(#"herald_http_request_seconds_count{route="readyz"}"#)
        })
        let access = edge.log.split(separator: "\n").filter { $0.contains(#""log":"access""#) }
        #expect(access.contains { $0.contains(#""route":"unknown""#) && $0.contains(#""status":404"#) }, "\(access)")
        #expect(!edge.log.contains("very-secret-token"), "no path or query is logged")

        // SIGTERM: not ready at once, still answering during the grace, then a clean exit.
        edge.process.signal(SIGTERM)
        let stopping = Date()
        #expect(try await eventually(timeout: 1) { LoopbackHTTP.get(port: port, "/readyz")?.status == 503 })
        #expect(LoopbackHTTP.get(port: port, "/livez")?.status == 200, "still serving during the readiness grace")
        let status = edge.process.wait()
        #expect(status == 0, "\(edge.log)")
        #expect(Date().timeIntervalSince(stopping) >= 1.4)
        _ = fleet.stopAll()
    }
}
