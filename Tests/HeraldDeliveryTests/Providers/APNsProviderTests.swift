import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

@testable import HeraldDelivery

@Suite("APNsProvider against an HTTP/2 peer (h2c or TLS) that verifies ES256 with PyJWT")
struct APNsProviderTests {
    static let device = String(repeating: "ab12", count: 16)

    /// A running peer with its key pair.
    struct Setup {
        let peer: PeerProcess
        let keys: TestKeyPair
        let scratch: URL
        let certificate: TestCertificate?

        func provider(key: String? = nil, clock: @escaping @Sendable () -> Date = { Date() }) throws -> APNsProvider {
            try APNsProvider(
                configuration: .init(
                    keyID: "ABC123DEFG", teamID: "TEAM456XYZ", privateKey: Secret(key ?? keys.privateKeyPEM),
                    topic: "com.example.herald",
                    baseURL: certificate == nil ? peer.baseURL : "https://127.0.0.1:\(peer.port)",
                    httpVersion: certificate == nil ? .http2PriorKnowledge : .http2TLS, timeout: 5),
                client: HTTPClient(workers: 1, caFile: certificate?.certificatePath), clock: clock)
        }

        func stop() {
            peer.stop()
            try? FileManager.default.removeItem(at: scratch)
        }
    }

    func setUp(tls: Bool = false) async throws -> Setup {
        let scratch = try PeerProcess.makeTemporaryDirectory()
        let keys = try TestKeyPair.p256(in: scratch)
        let certificate = tls ? try TestCertificate(in: scratch) : nil
        let peer = try await PeerProcess.start(script: "apns_peer.py", arguments: [
            "--public-key", keys.publicKeyPath, "--key-id", "ABC123DEFG", "--team-id", "TEAM456XYZ", "--topic", "com.example.herald",
        ] + (certificate.map { ["--tls", $0.certificatePath, $0.keyPath] } ?? []))
        return Setup(peer: peer, keys: keys, scratch: scratch, certificate: certificate)
    }

    func push(to device: String = device, key: String = "order:o-1:shipped", alert: Bool = true) -> OutboundMessage {
        OutboundMessage(
            channel: .push, idempotencyKey: key, userId: "u1", recipient: device, subject: alert ? "Versandt" : nil,
            text: alert ? "Deine Bestellung ist unterwegs" : nil, payload: ["orderId": "o-1"])
    }

    @Test("sends over HTTP/2 with a verified ES256 token, reused across sends, and a stable apns-id")
    func sends() async throws {
        let setup = try await setUp()
        defer { setup.stop() }
        let apns = try setup.provider()
        let receipt = try await apns.deliver(push())
        _ = try await apns.deliver(push(key: "order:o-2:shipped", alert: false))
        let records = try await setup.peer.records(count: 2)
        let first = try #require(records.first)
        #expect(first["http2"]?.boolValue == true)
        #expect(first["jwt_verified"]?.boolValue == true, "\(first["jwt_error"]?.stringValue ?? "")")
        #expect(first["path"]?.stringValue == "/3/device/\(Self.device)")
        #expect(first["headers"]?["apns-topic"]?.stringValue == "com.example.herald")
        #expect(first["headers"]?["apns-push-type"]?.stringValue == "alert")
        #expect(first["headers"]?["apns-id"]?.stringValue == APNsProvider.apnsID(forKey: "order:o-1:shipped"))
        #expect(first["body"]?["aps"]?["alert"] == ["title": "Versandt", "body": "Deine Bestellung ist unterwegs"])
        #expect(first["body"]?["orderId"]?.stringValue == "o-1")
        #expect(records.last?["headers"]?["apns-push-type"]?.stringValue == "background")
        #expect(records.last?["body"]?["aps"] == ["content-available": 1])
        #expect(records.last?["jwt"] == first["jwt"])
        #expect(receipt.providerMessageId == APNsProvider.apnsID(forKey: "order:o-1:shipped"))
    }

    @Test("HTTP/2 over TLS (ALPN h2, as production APNs) keeps one connection for consecutive sends")
    func tlsConnectionReuse() async throws {
        let setup = try await setUp(tls: true)
        defer { setup.stop() }
        let apns = try setup.provider()
        for index in 0..<3 { _ = try await apns.deliver(push(key: "k\(index)")) }
        let records = try await setup.peer.records(count: 3)
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0["tls"]?.boolValue == true && $0["jwt_verified"]?.boolValue == true })
        // One connection carried all three (the start-up probe was another, so its number is not 1).
        #expect(Set(records.compactMap { $0["connection"]?.numberValue }).count == 1)
    }

    @Test("the provider token is re-signed after 50 minutes")
    func tokenLifetime() async throws {
        let setup = try await setUp()
        defer { setup.stop() }
        let clock = ManualClock(Date().addingTimeInterval(-51 * 60))
        let apns = try setup.provider(clock: { clock.now })
        _ = try await apns.deliver(push())
        clock.now = Date()
        _ = try await apns.deliver(push(key: "k2"))
        let records = try await setup.peer.records(count: 2)
        #expect(records.first?["jwt"] != records.last?["jwt"])
        #expect(records.last?["jwt_verified"]?.boolValue == true)
    }

    @Test("Unregistered and BadDeviceToken are invalid recipients; 429 retryable; a foreign key is permanent")
    func errors() async throws {
        let setup = try await setUp()
        defer { setup.stop() }
        let apns = try setup.provider()
        func outcome(_ apns: APNsProvider, _ device: String) async -> ProviderError? {
            do {
                _ = try await apns.deliver(push(to: device))
                return nil
            } catch {
                return error
            }
        }
        #expect(await outcome(apns, "dead" + Self.device.dropFirst(4)) == .invalidRecipient(reason: "apns: Unregistered (HTTP 410)"))
        #expect(await outcome(apns, "bad0" + Self.device.dropFirst(4)) == .invalidRecipient(reason: "apns: BadDeviceToken (HTTP 400)"))
        #expect(await outcome(apns, "fa57" + Self.device.dropFirst(4))?.isRetryable == true)
        #expect(await outcome(apns, "not-hex") == .invalidRecipient(reason: "apns: not a hex device token"))
        let other = try TestKeyPair.p256(in: setup.scratch.appendingPathComponent("other").creatingDirectory())
        guard case .permanent(let reason) = await outcome(try setup.provider(key: other.privateKeyPEM), Self.device) else {
            Issue.record("a token signed with another key was not permanent")
            return
        }
        #expect(reason.contains("403") && reason.contains("InvalidProviderToken"))
    }

    @Test("DER ECDSA signatures become 64-byte r||s; an RSA key is refused for ES256")
    func signatureFormat() throws {
        let scratch = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // SEQUENCE { INTEGER 0x00ff (leading zero for the sign bit), INTEGER 0x01 }
        let raw = try SigningKey.rawECDSASignature(fromDER: [0x30, 0x07, 0x02, 0x02, 0x00, 0xFF, 0x02, 0x01, 0x01])
        #expect(raw.count == 64 && raw[31] == 0xFF && raw[63] == 0x01 && raw[0..<31].allSatisfy { $0 == 0 })
        let rsa = try TestKeyPair.rsa(in: scratch)
        #expect(throws: SigningKeyError.wrongKeyType(expected: "EC P-256")) {
            try SigningKey(pem: Secret(rsa.privateKeyPEM), algorithm: .es256)
        }
        #expect(APNsProvider.apnsID(forKey: "a") == APNsProvider.apnsID(forKey: "a"))
        #expect(APNsProvider.apnsID(forKey: "a") != APNsProvider.apnsID(forKey: "b"))
        #expect(UUID(uuidString: APNsProvider.apnsID(forKey: "a")) != nil)
    }
}
