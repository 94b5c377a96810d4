import Foundation
import HeraldCore
import HeraldTestSupport
import Testing
import HeraldDelivery
import HeraldFleet

/// `herald-edge` as operators run it, with the callback settings from its environment: the secrets
/// as `_FILE`s and lists, the Twilio token taken from the SMS sender's variable, and routes whose
/// secret is not set answering 404.
@Suite struct EdgeCallbackProcessTests {
    /// A port in this suite's range (27000–28999) that nothing answers on.
    static func port() throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 27000...28999)
            if let fd = FreePort.connected(port: port) { close(fd) } else { return port }
        }
        throw FixtureError.missing("no free port in 27000-28999")
    }

    @Test func theExecutableServesTheConfiguredCallbacksAndOnlyThose() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.connection()
        let secrets = FileManager.default.temporaryDirectory.appendingPathComponent("edge-secrets-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        let feedbackSecret = "whsec_" + Data("process-test-feedback-secret-0123".utf8).base64EncodedString()
        // Two link secrets, one a line each: the second (the older) still verifies.
        try Data("link-secret-new-0123456789\nlink-secret-old-0123456789\n".utf8).write(to: secrets.appendingPathComponent("links"))
        let port = try Self.port()
        let edge = try fleet.start("herald-edge", [
            "HERALD_EDGE_HOST": "127.0.0.1", "HERALD_EDGE_PORT": String(port), "HERALD_EDGE_PUBLIC_URL": "https://edge.herald.test",
            "HERALD_TWILIO_AUTH_TOKEN": "sms-sender-token", "HERALD_EDGE_FEEDBACK_SECRETS": "whsec_" + Data("rotated-out-secret-0123456789ab".utf8).base64EncodedString() + "," + feedbackSecret,
            "HERALD_EDGE_LINK_SECRETS_FILE": secrets.appendingPathComponent("links").path,
        ])
        #expect(try await eventually { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "\(edge.log)")
        let base = "http://127.0.0.1:\(port)"

        // Twilio, signed over the public URL (as behind a load balancer) with the SMS sender's token.
        let target = "/callbacks/twilio?u=wes&k=w-1&c=sms"
        let form = ["MessageSid": "SM9", "MessageStatus": "delivered"]
        let signature = try PythonScript.twilioSignature(token: "sms-sender-token", url: "https://edge.herald.test" + target, params: form)
        let twilio = try Curl.run(["-H", "X-Twilio-Signature: \(signature)", "--data-urlencode", "MessageSid=SM9", "--data-urlencode", "MessageStatus=delivered", base + target])
        #expect(twilio.status == 200, "\(twilio.text)")
        // Signed over the edge's own address instead: not the URL Twilio called, refused.
        let local = try PythonScript.twilioSignature(token: "sms-sender-token", url: base + target, params: form)
        #expect(try Curl.run(["-H", "X-Twilio-Signature: \(local)", "--data-urlencode", "MessageSid=SM9", "--data-urlencode", "MessageStatus=delivered", base + target]).status == 403)

        let body = #"{"type":"delivered","userId":"wes","messageId":"w-2","channel":"email"}"#
        let headers = try PythonScript.standardWebhookHeaders(secret: feedbackSecret, id: "msg_p1", timestamp: Int(Date().timeIntervalSince1970), body: body)
        let webhook = try Curl.run(headers.sorted { $0.key < $1.key }.flatMap { ["-H", "\($0.key): \($0.value)"] }
            + ["-H", "Content-Type: application/json", "--data-binary", body, base + "/callbacks/feedback"])
        #expect(webhook.status == 200, "\(webhook.text)")

        // A click token made with the older secret of the file.
        let signer = try #require(TrackedLinkSigner(secrets: [Secret("link-secret-old-0123456789")]))
        let token = signer.token(for: TrackedLink(kind: .click, url: "https://shop.example.com/", userId: "wes", messageKey: "w-3", journey: "j", template: "t"))
        let click = try Curl.run([base + "/c/" + token])
        #expect(click.status == 302 && click.headers["location"] == "https://shop.example.com/")

        let partition = fleet.keyspace.partition(ofUser: "wes")
        let entries = RedisConnection.parseEntries(
            try await connection.send("XRANGE", fleet.keyspace.events(partition), "-", "+").array ?? [], stream: fleet.keyspace.events(partition))
        let events = try entries.compactMap { entry -> Event? in
            guard case .feedback(let event) = try PartitionInput(entry: entry) else { return nil }
            return event
        }
        #expect(events.map { $0.event ?? "" } == ["Message Delivered", "Message Delivered", "Message Clicked"])
        #expect(events.map { $0.properties["messageId"]?.stringValue ?? "" } == ["w-1", "w-2", "w-3"])
        #expect(!edge.log.contains(token) && !edge.log.contains("sms-sender-token"), "no token or secret in the logs")
        _ = fleet.stopAll()

        // Without the secrets, the routes do not exist.
        let bare = try Self.port()
        let plain = try fleet.start("herald-edge", ["HERALD_EDGE_HOST": "127.0.0.1", "HERALD_EDGE_PORT": String(bare)], unset: ["HERALD_TWILIO_AUTH_TOKEN"])
        #expect(try await eventually { LoopbackHTTP.get(port: bare, "/readyz")?.status == 200 }, "\(plain.log)")
        #expect(LoopbackHTTP.get(port: bare, "/c/" + token)?.status == 404)
        #expect(try Curl.run(["--data", "a=b", "http://127.0.0.1:\(bare)/callbacks/twilio"]).status == 404)
        _ = fleet.stopAll()
    }
}
