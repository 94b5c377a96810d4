import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite("WebhookProvider against a standardwebhooks verifier")
struct WebhookProviderTests {
    // "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" is the secret from the Standard Webhooks examples.
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    func message(url: String, key: String = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W") -> OutboundMessage {
        OutboundMessage(
            channel: .webhook, idempotencyKey: key, userId: "u1", recipient: url,
            payload: ["event": "order.shipped", "order": ["id": "o-1", "total": 12.5, "items": ["ä", "😀"]]])
    }

    func provider(secret: String = secret, timeout: Double = 5) throws -> WebhookProvider {
        try WebhookProvider(configuration: .init(secret: Secret(secret), timeout: timeout), client: HTTPClient(workers: 2))
    }

    @Test("the signature matches the Standard Webhooks reference vector")
    func referenceVector() throws {
        let signer = try WebhookSigner(secret: Secret(Self.secret))
        let body = Array(#"{"test": 2432232314}"#.utf8)
        #expect(signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: body)
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("deliveries verify with the standardwebhooks library and carry the payload")
    func verifiedDelivery() async throws {
        let peer = try await PeerProcess.start(script: "webhook_peer.py", arguments: ["--secret", Self.secret])
        defer { peer.stop() }
        let receipt = try await provider().deliver(message(url: peer.baseURL + "/hook"))
        let record = try #require(await peer.records(count: 1).first)
        #expect(record["verified"]?.boolValue == true, "\(record["error"]?.stringValue ?? "")")
        #expect(record["headers"]?["webhook-id"]?.stringValue == "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
        #expect(record["headers"]?["content-type"]?.stringValue == "application/json")
        let body = try JSONValue.parse(try #require(record["body"]?.stringValue))
        #expect(body == message(url: "").payload)
        #expect(receipt.providerMessageId == "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
        #expect(receipt.details["status"] == "204")
    }

    @Test("a secret without whsec_ is raw bytes: it verifies as whsec_ + base64 of them")
    func rawSecret() async throws {
        let raw = "demo-webhook-secret-change-me"
        let encoded = "whsec_" + Data(raw.utf8).base64EncodedString()
        let peer = try await PeerProcess.start(script: "webhook_peer.py", arguments: ["--secret", encoded])
        defer { peer.stop() }
        _ = try await provider(secret: raw).deliver(message(url: peer.baseURL + "/hook"))
        #expect(try await peer.records(count: 1).first?["verified"]?.boolValue == true)
        let configured = try WebhookProvider.Configuration(environment: CredentialSource(environment: ["HERALD_WEBHOOK_SECRET": raw]))
        #expect(configured.secret.reveal() == raw)
    }

    @Test("a delivery signed with another secret fails verification and is permanent")
    func wrongSecret() async throws {
        let peer = try await PeerProcess.start(script: "webhook_peer.py", arguments: ["--secret", Self.secret])
        defer { peer.stop() }
        let other = try provider(secret: "whsec_" + Data("a completely different key".utf8).base64EncodedString())
        do {
            _ = try await other.deliver(message(url: peer.baseURL + "/hook"))
            Issue.record("an unverifiable delivery succeeded")
        } catch {
            guard case .permanent(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("401"))
        }
        #expect(try await peer.records(count: 1).first?["verified"]?.boolValue == false)
    }

    @Test("500 is retryable, 410 permanent, 429 retryable with Retry-After, a timeout retryable")
    func statusMapping() async throws {
        let peer = try await PeerProcess.start(script: "webhook_peer.py", arguments: ["--secret", Self.secret])
        defer { peer.stop() }
        let webhook = try provider(timeout: 1)
        func outcome(_ path: String) async -> ProviderError? {
            do {
                _ = try await webhook.deliver(message(url: peer.baseURL + path))
                return nil
            } catch {
                return error
            }
        }
        let serverError = await outcome("/status/500")
        #expect(serverError?.isRetryable == true)
        if case .retryable(_, let after) = serverError { #expect(after == nil) }
        guard case .permanent(let reason) = await outcome("/status/410") else { Issue.record("410 was not permanent"); return }
        #expect(reason.contains("410"))
        guard case .retryable(_, let after) = await outcome("/status/429?retry_after=7") else {
            Issue.record("429 was not retryable")
            return
        }
        #expect(after == 7)
        guard case .retryable(let timeoutReason, _) = await outcome("/slow") else { Issue.record("timeout was not retryable"); return }
        #expect(timeoutReason.contains("timed out"))
        #expect(await outcome("/status/200") == nil)
    }

    @Test("a recipient that is not an http(s) URL is invalid, and bad secrets are refused")
    func validation() async throws {
        let webhook = try provider()
        await #expect(throws: ProviderError.invalidRecipient(reason: "webhook recipient is not an http(s) URL")) {
            try await webhook.deliver(message(url: "ftp://example.com/hook"))
        }
        #expect(throws: WebhookSignerError.notBase64) { try WebhookSigner(secret: Secret("whsec_***")) }
        #expect(throws: WebhookSignerError.empty) { try WebhookSigner(secret: Secret("whsec_")) }
        #expect(throws: WebhookSignerError.empty) { try WebhookSigner(secret: Secret("")) }
    }
}
