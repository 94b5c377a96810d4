import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// Every kind of bad request against the `herald-edge` executable, between two accepted batches:
/// malformed JSON, a wrong content type, an oversized body, headers over the limit, missing and
/// wrong write keys, a forged unsubscribe token, an unsigned Twilio callback, an altered tracked
/// link, a request line that is not HTTP and a slowloris client. Each gets its 4xx (the stalled
/// client is closed), the edge stays ready and answers the others meanwhile, and exactly the
/// accepted events are on the ingest stream afterwards: nothing accepted is lost, nothing refused
/// slips in.
@Suite struct EdgeHostileClientsTests {
    @Test func everyBadRequestGetsAClear4xxAndLosesNothingAccepted() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.connection()
        let port = try FreePort.find()
        let key = "wk_hostile_test"
        let unsubscribeSecret = "hostile-unsubscribe-key-" + UUID().uuidString
        let edge = try fleet.start("herald-edge", [
            "HERALD_EDGE_HOST": "127.0.0.1", "HERALD_EDGE_PORT": String(port), "HERALD_EDGE_WRITE_KEYS": key,
            "HERALD_EDGE_IDLE_TIMEOUT_MS": "1000", "HERALD_EDGE_MAX_HEADER_BYTES": "8192",
            "HERALD_UNSUBSCRIBE_SECRET": unsubscribeSecret, "HERALD_EDGE_TWILIO_AUTH_TOKEN": "twilio-token-for-the-test",
            "HERALD_EDGE_LINK_SECRET": "link-secret-for-the-hostile-test-0123",
        ])
        #expect(try await eventually { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "\(edge.log)")
        let auth = "Basic " + Data((key + ":").utf8).base64EncodedString()
        func batch(_ ids: [String]) -> [UInt8] {
            let items = ids.map { #"{"type":"track","messageId":"\#($0)","userId":"u-\#($0)","event":"Order Completed","properties":{"order_id":"\#($0)"}}"# }
            return Array(#"{"batch":[\#(items.joined(separator: ","))]}"#.utf8)
        }
        func post(_ path: String, _ headers: [(String, String)], _ body: [UInt8]) -> Int {
            RawHTTPConnection(port: port)?.request("POST", path, headers: headers, body: body)?.status ?? 0
        }
        let json = ("Content-Type", "application/json")
        #expect(post("/v1/batch", [json, ("Authorization", auth)], batch(["a-1", "a-2", "a-3"])) == 200)

        // A slowloris client starts its request and stalls for the whole barrage.
        let stalled = try #require(RawHTTPConnection(port: port, timeout: .seconds(5)))
        #expect(stalled.send("POST /v1/batch HTTP/1.1\r\nHost: edge\r\nAuthorization: "))

        #expect(post("/v1/batch", [json, ("Authorization", auth)], Array(#"{"batch":[{"type":"track","#.utf8)) == 400, "malformed JSON")
        #expect(post("/v1/batch", [("Content-Type", "application/xml"), ("Authorization", auth)], Array("<batch/>".utf8)) == 415, "content type")
        // Oversized: declared, refused before the body is sent (a client still writing when the
        // edge answers and closes would see a reset instead of the answer, so none is written).
        let oversized = try #require(RawHTTPConnection(port: port))
        oversized.send("POST /v1/batch HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nAuthorization: \(auth)\r\nContent-Length: \(2 << 20)\r\n\r\n")
        #expect(oversized.readResponse()?.status == 413, "oversized")
        #expect(post("/v1/batch", [json], batch(["x-1"])) == 401, "no write key")
        #expect(post("/v1/batch", [json, ("Authorization", "Basic " + Data("wk_guess:".utf8).base64EncodedString())], batch(["x-2"])) == 401, "wrong key")
        let padded = RawHTTPConnection(port: port)?.request("GET", "/livez", headers: [("X-Padding", String(repeating: "p", count: 12_000))])
        #expect(padded.map { $0.status == 431 || $0.status == 413 } ?? true, "headers over the limit")
        let forged = try UnsubscribeSigner(keys: [Array("not-the-edge-unsubscribe-key-000".utf8)])
            .sign(UnsubscribeToken(userId: "u-victim", channel: .email, issuedAt: Date()))
        #expect(post("/unsubscribe?token=" + forged, [("Content-Type", "application/x-www-form-urlencoded")], Array("List-Unsubscribe=One-Click".utf8)) == 403, "forged token")
        #expect(post("/callbacks/twilio?u=u-victim&k=key&c=sms", [("Content-Type", "application/x-www-form-urlencoded")], Array("MessageSid=SM1&MessageStatus=failed&ErrorCode=30005".utf8)) == 403, "unsigned Twilio callback")
        #expect(RawHTTPConnection(port: port)?.request("GET", "/c/AAAA.BBBB")?.status == 403, "altered tracked link")
        let garbage = try #require(RawHTTPConnection(port: port))
        garbage.send("\u{1}\u{2} NOT-HTTP \u{3}\r\n\r\n")
        #expect(garbage.readResponse().map { $0.status == 400 } ?? garbage.closesWithin(.seconds(2)), "not HTTP")

        // While the slowloris client still holds its connection, the edge is ready and takes the marker.
        #expect(LoopbackHTTP.get(port: port, "/readyz")?.status == 200)
        #expect(post("/v1/batch", [json, ("Authorization", auth)], batch(["b-1", "b-2"])) == 200)
        #expect(stalled.closesWithin(.seconds(4)), "the stalled client is closed after the idle timeout")

        var stored: [String] = []
        for stream in fleet.keyspace.allIngestStreams {
            let entries = RedisConnection.parseEntries(try await connection.send("XRANGE", stream, "-", "+").array ?? [], stream: stream)
            stored += entries.compactMap { $0.bytes("event").flatMap { try? Event.validate(payload: $0).messageId } }
        }
        #expect(stored.sorted() == ["a-1", "a-2", "a-3", "b-1", "b-2"])
        #expect(!edge.log.contains(key), "the write key is never logged")
        #expect(!edge.log.contains(forged), "nor a token")
        _ = fleet.stopAll()
    }
}
