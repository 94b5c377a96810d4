import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTestSupport
import Testing

/// Senders have no built-in unsubscribe key: without `HERALD_UNSUBSCRIBE_SECRET` or
/// `HERALD_UNSUBSCRIBE_SECRET_FILE` they refuse to start, and with the file they sign with its key.
@Suite struct SenderStartupTests {
    static let secretVariables: Set<String> = ["HERALD_UNSUBSCRIBE_SECRET", "HERALD_UNSUBSCRIBE_SECRET_FILE"]

    @Test(arguments: ["herald-email-sender", "herald-sms-sender"])
    func aSenderWithoutAnUnsubscribeKeyExitsNonZeroNamingTheVariable(_ sender: String) throws {
        let fleet = try FleetHarness(journeys: [])
        let handle = try fleet.start(sender, unset: Self.secretVariables)
        #expect(handle.process.wait() != 0)
        #expect(handle.log.contains("HERALD_UNSUBSCRIBE_SECRET is not set"), "\(handle.log)")
        #expect(handle.log.contains("HERALD_UNSUBSCRIBE_SECRET_FILE"))
    }

    @Test func anUnreadableSecretFileIsAnErrorNamingThePath() throws {
        let fleet = try FleetHarness(journeys: [])
        let path = fleet.outbox.appendingPathComponent("no-such-secret").path
        let handle = try fleet.start("herald-email-sender", ["HERALD_UNSUBSCRIBE_SECRET_FILE": path], unset: ["HERALD_UNSUBSCRIBE_SECRET"])
        #expect(handle.process.wait() != 0)
        #expect(handle.log.contains("cannot read HERALD_UNSUBSCRIBE_SECRET_FILE at \(path)"), "\(handle.log)")
    }

    @Test func withTheSecretFileTheEmailSenderStartsAndSignsWithItsKey() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.redis.connection()
        let key = "file-secret-" + UUID().uuidString
        let file = fleet.outbox.deletingLastPathComponent().appendingPathComponent("unsubscribe_secret")
        try Data((key + "\n").utf8).write(to: file)
        try fleet.start("herald-email-sender", ["HERALD_UNSUBSCRIBE_SECRET_FILE": file.path], unset: ["HERALD_UNSUBSCRIBE_SECRET"])
        let partition = fleet.keyspace.partition(ofUser: "max")
        try await connection.send("HSET", fleet.keyspace.profile(partition, user: "max"), "email", #""max@example.com""#)
        let request = SendRequest(
            idempotencyKey: "startup-1", userId: "max", journey: "j", instanceId: "i", step: "s", channel: .email,
            template: "welcome", category: .marketing, context: [:], requestedAt: Date())
        try await connection.xadd(fleet.keyspace.outbox(partition, .email), fields: [("request", request.json.serialized())])
        #expect(try await eventually(timeout: 20) { fleet.emails().count == 1 })
        let mail = try String(contentsOf: try #require(fleet.emails().first), encoding: .utf8).replacingOccurrences(of: "\r\n ", with: " ")
        let header = try #require(mail.split(separator: "\r\n").first { $0.hasPrefix("List-Unsubscribe:") })
        let token = try #require(header.split(separator: "token=").last?.split(separator: ">").first)
        // The file's trailing newline is not part of the key.
        let verified = try UnsubscribeSigner(keys: [Array(key.utf8)]).verify(String(token))
        #expect(verified.userId == "max" && verified.channel == .email)
        _ = fleet.stopAll()
    }

    /// The compose demo's state: each sender gets its provider's `*_FILE` variables as
    /// docker-compose.yml sets them, pointing at the empty files init.sh copies from the examples.
    /// It starts, stays ready, says in its log and in `herald_sender_info` that it delivers locally,
    /// and writes what it is asked to send to its outbox directory.
    @Test(arguments: ["herald-email-sender", "herald-sms-sender", "herald-push-sender", "herald-webhook-sender"])
    func withTheComposeExampleSecretsASenderStartsOnItsOutboxAndSaysSo(_ sender: String) async throws {
        let fleet = try FleetHarness(journeys: [])
        let service = try #require(try ComposeFileTests.services()[sender])
        var environment: [String: String] = [:]
        for (key, _) in service["environment"]?.map ?? [:] where key.hasSuffix("_FILE") && !ComposeFileTests.generatedSecretVariables.contains(key) {
            let file = fleet.outbox.deletingLastPathComponent().appendingPathComponent("\(key).empty")
            try Data().write(to: file)
            environment[key] = file.path
        }
        let port = try FreePort.find()
        environment["HERALD_METRICS_PORT"] = String(port)
        let handle = try fleet.start(sender, environment)
        #expect(try await eventually(timeout: 20) { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "\(handle.log)")
        #expect(handle.process.isRunning)
        let channel = String(sender.dropFirst("herald-".count).dropLast("-sender".count))
        let metrics = LoopbackHTTP.get(port: port, "/metrics")?.body ?? ""
        let info = metrics.split(separator: "\n").first { $0.hasPrefix("herald_sender_info{channel=\"\(channel)\",provider=\"outbox") }
        #expect(info?.hasSuffix(",delivery=\"local\"} 1") == true, "\(metrics)")
        #expect(handle.log.contains("no provider credentials: messages are written to the outbox directory, not sent"), "\(handle.log)")
        guard sender == "herald-sms-sender" else {
            _ = fleet.stopAll()
            return
        }
        let connection = fleet.redis.connection()
        let partition = fleet.keyspace.partition(ofUser: "max")
        try await connection.send("HSET", fleet.keyspace.profile(partition, user: "max"), "phone", #""+15005550006""#)
        let request = SendRequest(
            idempotencyKey: "demo-sms-1", userId: "max", journey: "j", instanceId: "i", step: "s", channel: .sms,
            template: "cart-reminder-sms", category: .transactional, context: [:], requestedAt: Date())
        try await connection.xadd(fleet.keyspace.outbox(partition, .sms), fields: [("request", request.json.serialized())])
        let directory = fleet.outbox.appendingPathComponent("sms")
        #expect(try await eventually(timeout: 20) { ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).count == 1 }, "\(handle.log)")
        _ = fleet.stopAll()
    }

    /// herald-edge with the compose file's environment and the secrets as init.sh leaves them: the
    /// keys it generates filled in, the provider files empty. It starts and is ready, with the
    /// Segment API, unsubscribe link, feedback webhook and tracked links on and, without a Twilio
    /// account, no Twilio callbacks.
    @Test func withTheComposeSecretsTheEdgeStartsWithWhatTheyConfigure() async throws {
        let fleet = try FleetHarness(journeys: [])
        let service = try #require(try ComposeFileTests.services()["herald-edge"])
        let generated: [String: String] = [
            "HERALD_UNSUBSCRIBE_SECRET_FILE": UUID().uuidString, "HERALD_EDGE_WRITE_KEYS_FILE": "wk_\(UUID().uuidString)",
            "HERALD_EDGE_LINK_SECRET_FILE": UUID().uuidString,
            "HERALD_EDGE_FEEDBACK_SECRET_FILE": "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
        ]
        var environment: [String: String] = [:]
        for (key, value) in service["environment"]?.map ?? [:] {
            if key.hasSuffix("_FILE") {
                let file = fleet.outbox.deletingLastPathComponent().appendingPathComponent("\(key).secret")
                try Data((generated[key] ?? "").utf8).write(to: file)
                environment[key] = file.path
            } else if let text = value.string, key.hasPrefix("HERALD_EDGE") || key.hasPrefix("HERALD_UNSUBSCRIBE") {
                environment[key] = text
            }
        }
        #expect(Set(generated.keys).isSubset(of: Set(environment.keys)), "the compose file gives the edge every generated secret")
        #expect(ComposeFileTests.generatedSecretVariables.isSuperset(of: generated.keys))
        let port = try FreePort.find()
        environment["HERALD_EDGE_PORT"] = String(port)
        environment["HERALD_EDGE_HOST"] = "127.0.0.1"
        let handle = try fleet.start("herald-edge", environment, unset: ["HERALD_UNSUBSCRIBE_SECRET"])
        #expect(try await eventually(timeout: 20) { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "\(handle.log)")
        let line = handle.log.split(separator: "\n").first { $0.contains(#""msg":"edge callbacks""#) } ?? ""
        #expect(line.contains(#""twilio":false"#) && line.contains(#""feedbackWebhook":true"#) && line.contains(#""trackedLinks":true"#), "\(line)")
        #expect(!handle.log.contains("Segment Tracking API off"))
        #expect(LoopbackHTTP.get(port: port, "/unsubscribe")?.status == 400, "the unsubscribe link is served (a link without a token)")
        _ = fleet.stopAll()
    }
}
