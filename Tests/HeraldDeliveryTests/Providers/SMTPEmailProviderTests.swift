import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

@testable import HeraldDelivery

@Suite("SMTPEmailProvider against aiosmtpd")
struct SMTPEmailProviderTests {
    func message(to recipient: String, key: String = "welcome:u1") -> OutboundMessage {
        OutboundMessage(
            channel: .email, idempotencyKey: key, userId: "u1", recipient: recipient, subject: "Willkommen, Zoë",
            text: "Hallo Zoë,\nschön, dass du da bist.", html: "<p>Hallo Zoë</p>",
            headers: ["List-Unsubscribe": "<https://example.com/u/u1>, <mailto:unsub@example.com>"])
    }

    func configuration(port: Int, security: SMTPEmailProvider.Security = .none, username: String? = nil,
                       password: String? = nil, caFile: String? = nil) -> SMTPEmailProvider.Configuration {
        .init(host: "127.0.0.1", port: port, security: security, username: username, password: password.map(Secret.init),
              from: "news@example.com", fromName: "Herald News", heloDomain: "herald.test", timeout: 10, caFile: caFile)
    }

    @Test("delivers a message the server parses back intact")
    func delivers() async throws {
        let peer = try await PeerProcess.start(script: "smtp_peer.py")
        defer { peer.stop() }
        let smtp = SMTPEmailProvider(configuration: configuration(port: peer.port))
        let receipt = try await smtp.deliver(message(to: "zoe@example.org"))
        let records = try await peer.records(count: 1)
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record["mail_from"]?.stringValue == "news@example.com")
        #expect(record["rcpt_tos"] == ["zoe@example.org"])
        #expect(record["subject"]?.stringValue == "Willkommen, Zoë")
        #expect(record["from_name"]?.stringValue == "Herald News")
        #expect(record["message_id"]?.stringValue == receipt.providerMessageId)
        #expect(record["content_type"]?.stringValue == "multipart/alternative")
        #expect(EmailParsing.body(record, type: "text/plain") == "Hallo Zoë,\nschön, dass du da bist.")
        #expect(EmailParsing.body(record, type: "text/html") == "<p>Hallo Zoë</p>")
        #expect(record["headers"]?["list-unsubscribe-post"]?.stringValue == "List-Unsubscribe=One-Click")
        #expect(record["headers"]?["x-herald-idempotency-key"]?.stringValue == "welcome:u1")
        #expect(record["tls"]?.boolValue == false)
        #expect(receipt.details["smtpReply"] == "250")
    }

    @Test("550 at RCPT TO is an invalid recipient, 451 is retryable, and nothing is delivered")
    func recipientReplies() async throws {
        let peer = try await PeerProcess.start(script: "smtp_peer.py")
        defer { peer.stop() }
        let smtp = SMTPEmailProvider(configuration: configuration(port: peer.port))
        do {
            _ = try await smtp.deliver(message(to: "reject-me@example.org"))
            Issue.record("a rejected recipient was accepted")
        } catch {
            guard case .invalidRecipient(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("550"))
        }
        do {
            _ = try await smtp.deliver(message(to: "tempfail@example.org"))
            Issue.record("a deferred recipient was accepted")
        } catch {
            #expect(error.isRetryable, "got \(error)")
        }
        #expect(try await peer.records(count: 1, timeout: 0.5).isEmpty)
    }

    @Test("AUTH with the right password delivers; a wrong one is permanent and never shows the password")
    func authentication() async throws {
        let peer = try await PeerProcess.start(script: "smtp_peer.py", arguments: ["--auth", "herald:correct-horse"])
        defer { peer.stop() }
        let good = SMTPEmailProvider(configuration: configuration(port: peer.port, username: "herald", password: "correct-horse"))
        _ = try await good.deliver(message(to: "zoe@example.org"))
        #expect(try await peer.records(count: 1).first?["auth_login"]?.stringValue == "herald")

        let bad = SMTPEmailProvider(configuration: configuration(port: peer.port, username: "herald", password: "wrong-battery"))
        do {
            _ = try await bad.deliver(message(to: "zoe@example.org", key: "k2"))
            Issue.record("a wrong password was accepted")
        } catch {
            guard case .permanent(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("535"))
            #expect(!error.description.contains("wrong-battery"))
        }
        let unauthenticated = SMTPEmailProvider(configuration: configuration(port: peer.port))
        await #expect(throws: ProviderError.self) { try await unauthenticated.deliver(message(to: "zoe@example.org", key: "k3")) }
        #expect(try await peer.records(count: 2, timeout: 0.5).count == 1)
    }

    @Test("STARTTLS with a self-signed certificate, trusted through caFile, then AUTH")
    func startTLS() async throws {
        let scratch = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let certificate = try TestCertificate(in: scratch)
        let peer = try await PeerProcess.start(
            script: "smtp_peer.py",
            arguments: ["--auth", "herald:s3cret", "--starttls", certificate.certificatePath, certificate.keyPath])
        defer { peer.stop() }
        let smtp = SMTPEmailProvider(configuration: configuration(
            port: peer.port, security: .startTLS, username: "herald", password: "s3cret", caFile: certificate.certificatePath))
        _ = try await smtp.deliver(message(to: "zoe@example.org"))
        let record = try #require(await peer.records(count: 1).first)
        #expect(record["tls"]?.boolValue == true)
        #expect(record["auth_login"]?.stringValue == "herald")

        // Without trusting the certificate the handshake must fail rather than fall back to plain text.
        let untrusted = SMTPEmailProvider(configuration: configuration(
            port: peer.port, security: .startTLS, username: "herald", password: "s3cret"))
        do {
            _ = try await untrusted.deliver(message(to: "zoe@example.org", key: "k2"))
            Issue.record("an untrusted certificate was accepted")
        } catch {
            #expect(error.isRetryable, "got \(error)")
        }
        #expect(try await peer.records(count: 2, timeout: 0.5).count == 1)
    }

    @Test("a relay that is not listening is retryable")
    func connectionRefused() async throws {
        let smtp = SMTPEmailProvider(configuration: configuration(port: try FreePort.find()))
        do {
            _ = try await smtp.deliver(message(to: "zoe@example.org"))
            Issue.record("delivered to nobody")
        } catch {
            #expect(error.isRetryable, "got \(error)")
        }
    }

    @Test("configuration reads the password from a _FILE variable")
    func configurationFromEnvironment() throws {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("password")
        try "pw-from-file\n".write(to: file, atomically: true, encoding: .utf8)
        let configuration = try SMTPEmailProvider.Configuration(environment: CredentialSource(environment: [
            "HERALD_SMTP_HOST": "mail.example.com", "HERALD_SMTP_PORT": "465", "HERALD_SMTP_SECURITY": "implicitTLS",
            "HERALD_SMTP_USERNAME": "u", "HERALD_SMTP_PASSWORD_FILE": file.path, "HERALD_EMAIL_FROM": "news@example.com",
        ]))
        #expect(configuration.port == 465)
        #expect(configuration.security == .implicitTLS)
        #expect(configuration.password?.reveal() == "pw-from-file")
        #expect(!"\(configuration)".contains("pw-from-file"))
        #expect(throws: CredentialError.missing(name: "HERALD_SMTP_HOST")) {
            try SMTPEmailProvider.Configuration(environment: CredentialSource(environment: ["HERALD_EMAIL_FROM": "news@example.com"]))
        }
    }
}
