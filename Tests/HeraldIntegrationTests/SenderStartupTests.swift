import Foundation
import HeraldCore
import HeraldDelivery
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
}
