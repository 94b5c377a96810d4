import Foundation
import Testing

@testable import HeraldDelivery

@Suite("EmailProviders and SMTP URLs")
struct EmailProvidersTests {
    @Test("the outbox without a relay (or with the compose demo's empty smtp_url), SMTP with one")
    func choosesProvider() throws {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("smtp_url")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        #expect(try EmailProviders.make(environment: CredentialSource(environment: [:])).name == "outbox")
        #expect(try EmailProviders.make(environment: CredentialSource(environment: ["HERALD_SMTP_URL_FILE": empty.path])).name == "outbox")
        let smtp = try EmailProviders.make(environment: CredentialSource(environment: [
            "HERALD_SMTP_URL": "smtps://u:p@smtp.example.com", "HERALD_EMAIL_FROM": "news@example.com",
        ]))
        #expect(smtp.name == "smtp")
        #expect(throws: CredentialError.missing(name: "HERALD_EMAIL_FROM")) {
            try EmailProviders.make(environment: CredentialSource(environment: ["HERALD_SMTP_HOST": "127.0.0.1"]))
        }
    }

    @Test("SMTP URLs give security, port, decoded credentials and EHLO name; malformed ones do not echo the password")
    func parsesURLs() throws {
        let implicit = try SMTPEmailProvider.Configuration(url: Secret("smtps://apikey:p%40ss%3Aword@smtp.example.com"), from: "a@example.com")
        #expect(implicit.security == .implicitTLS && implicit.port == 465 && implicit.host == "smtp.example.com")
        #expect(implicit.username == "apikey" && implicit.password?.reveal() == "p@ss:word")
        let startTLS = try SMTPEmailProvider.Configuration(url: Secret("smtp://mail.example.com:2525?helo=herald.example.com"), from: "a@example.com")
        #expect(startTLS.security == .startTLS && startTLS.port == 2525 && startTLS.username == nil && startTLS.password == nil)
        #expect(startTLS.heloDomain == "herald.example.com")
        let plain = try SMTPEmailProvider.Configuration(url: Secret("smtp://mailpit:1025?tls=none"), from: "a@example.com")
        #expect(plain.security == SMTPEmailProvider.Security.none && plain.port == 1025)
        do {
            _ = try SMTPEmailProvider.Configuration(url: Secret("http://user:hunter2@example.com"), from: "a@example.com")
            Issue.record("an http URL was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("an SMTP URL from a _FILE secret delivers to a real server")
    func urlDelivers() async throws {
        let peer = try await PeerProcess.start(script: "smtp_peer.py", arguments: ["--auth", "herald:pa ss"])
        defer { peer.stop() }
        let file = peer.directory.appendingPathComponent("smtp_url.secret")
        try "smtp://herald:pa%20ss@127.0.0.1:\(peer.port)?tls=none\n".write(to: file, atomically: true, encoding: .utf8)
        let provider = try EmailProviders.make(environment: CredentialSource(environment: [
            "HERALD_SMTP_URL_FILE": file.path, "HERALD_EMAIL_FROM": "news@example.com",
        ]))
        _ = try await provider.deliver(OutboundMessage(
            channel: .email, idempotencyKey: "k", userId: "u", recipient: "ada@example.org", subject: "Hi", text: "Hello"))
        let record = try #require(try await peer.records(count: 1).first)
        #expect(record["auth_login"]?.stringValue == "herald")
        #expect(record["subject"]?.stringValue == "Hi")
    }
}
