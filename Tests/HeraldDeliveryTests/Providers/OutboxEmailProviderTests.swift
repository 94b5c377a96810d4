import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite("OutboxEmailProvider")
struct OutboxEmailProviderTests {
    func message(key: String, subject: String = "Welcome", recipient: String = "ada@example.org") -> OutboundMessage {
        OutboundMessage(
            channel: .email, idempotencyKey: key, userId: "u1", recipient: recipient, subject: subject,
            text: "Hello Ada", html: "<b>Hello Ada</b>")
    }

    @Test("writes one parseable .eml per idempotency key; a retry overwrites it")
    func writesAndOverwrites() async throws {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = OutboxEmailProvider(configuration: .init(directory: directory.path + "/nested", from: "news@example.com"))
        let first = try await outbox.deliver(message(key: "welcome/u1/../x", subject: "First"))
        let retry = try await outbox.deliver(message(key: "welcome/u1/../x", subject: "Second"))
        _ = try await outbox.deliver(message(key: "welcome:u2"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/nested").sorted()
        #expect(files == ["welcome%2Fu1%2F%2E%2E%2Fx.eml", "welcome%3Au2.eml"])
        #expect(first.details["path"] == retry.details["path"])
        let parsed = try EmailParsing.describe(file: try #require(retry.details["path"]))
        #expect(parsed["subject"]?.stringValue == "Second")
        #expect(parsed["message_id"]?.stringValue == retry.providerMessageId)
        #expect(parsed["headers"]?["x-herald-idempotency-key"]?.stringValue == "welcome/u1/../x")
        #expect(EmailParsing.body(parsed, type: "text/html") == "<b>Hello Ada</b>")
    }

    @Test("file names are distinct for distinct keys and bounded for long ones")
    func fileNames() {
        #expect(OutboxEmailProvider.fileName(forKey: "a/b") != OutboxEmailProvider.fileName(forKey: "a%2Fb"))
        #expect(OutboxEmailProvider.fileName(forKey: "..") == "%2E%2E.eml")
        let long = String(repeating: "k", count: 500)
        let name = OutboxEmailProvider.fileName(forKey: long)
        #expect(name.utf8.count < 200)
        #expect(name != OutboxEmailProvider.fileName(forKey: long + "!"))
    }

    @Test("a recipient that is not an email address is an invalid recipient")
    func invalidRecipient() async throws {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = OutboxEmailProvider(configuration: .init(directory: directory.path, from: "news@example.com"))
        await #expect(throws: ProviderError.invalidRecipient(reason: "not an email address")) {
            try await outbox.deliver(message(key: "k", recipient: "ada@example.org\r\nBcc: x@example.org"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("configuration comes from HERALD_OUTBOX_DIR with a default")
    func configuration() {
        let configured = OutboxEmailProvider.Configuration(environment: CredentialSource(environment: ["HERALD_OUTBOX_DIR": "/tmp/o"]))
        #expect(configured.directory == "/tmp/o")
        #expect(OutboxEmailProvider.Configuration(environment: CredentialSource(environment: [:])).directory == ".herald/outbox")
    }
}
