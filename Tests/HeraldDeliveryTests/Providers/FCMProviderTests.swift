import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite("FCMProvider against a token endpoint that verifies RS256 with PyJWT")
struct FCMProviderTests {
    static let email = "herald-push@herald-test.iam.gserviceaccount.com"

    /// A running peer with its key pair and a provider configured against it.
    struct Setup {
        let peer: PeerProcess
        let keys: TestKeyPair
        let scratch: URL
        let account: FCMServiceAccount

        func provider(clock: @escaping @Sendable () -> Date = { Date() }) throws -> FCMProvider {
            try FCMProvider(configuration: .init(serviceAccount: account, baseURL: peer.baseURL, timeout: 5),
                            client: HTTPClient(workers: 1), clock: clock)
        }

        func stop() {
            peer.stop()
            try? FileManager.default.removeItem(at: scratch)
        }
    }

    func setUp(expiresIn: Int = 3600) async throws -> Setup {
        let scratch = try PeerProcess.makeTemporaryDirectory()
        let keys = try TestKeyPair.rsa(in: scratch)
        let peer = try await PeerProcess.start(script: "fcm_peer.py", arguments: [
            "--public-key", keys.publicKeyPath, "--client-email", Self.email, "--project", "herald-test",
            "--expires-in", String(expiresIn),
        ])
        // The service account arrives as the JSON file Google issues, private key and all.
        let json: JSONValue = [
            "type": "service_account", "project_id": "herald-test", "client_email": .string(Self.email),
            "private_key": .string(keys.privateKeyPEM), "token_uri": .string(peer.baseURL + "/token"),
        ]
        let account = try FCMServiceAccount(json: Secret(json.serialized()))
        return Setup(peer: peer, keys: keys, scratch: scratch, account: account)
    }

    func push(to token: String) -> OutboundMessage {
        OutboundMessage(
            channel: .push, idempotencyKey: "cart:u1", userId: "u1", recipient: token, subject: "Dein Warenkorb",
            text: "Noch 2 Artikel übrig", payload: ["cartId": "c-9", "items": 2, "deep": ["a": true]])
    }

    @Test("exchanges a verified JWT for a token once, reuses it, and sends the message")
    func sendsWithCachedToken() async throws {
        let setup = try await setUp()
        defer { setup.stop() }
        let fcm = try setup.provider()
        let first = try await fcm.deliver(push(to: "device-token-1"))
        _ = try await fcm.deliver(push(to: "device-token-2"))
        let records = try await setup.peer.records(count: 3)
        let tokens = records.filter { $0["kind"]?.stringValue == "token" }
        let sends = records.filter { $0["kind"]?.stringValue == "send" }
        #expect(tokens.count == 1)
        #expect(tokens.first?["verified"]?.boolValue == true, "\(tokens.first?["error"]?.stringValue ?? "")")
        #expect(sends.count == 2)
        #expect(sends.allSatisfy { $0["authorized"]?.boolValue == true })
        let message = try #require(sends.first?["body"]?["message"])
        #expect(message["token"]?.stringValue == "device-token-1")
        #expect(message["notification"] == ["title": "Dein Warenkorb", "body": "Noch 2 Artikel übrig"])
        #expect(message["data"] == ["cartId": "c-9", "items": "2", "deep": #"{"a":true}"#])
        #expect(first.providerMessageId.hasPrefix("projects/herald-test/messages/0:"))
    }

    @Test("a token about to expire is replaced before the next send")
    func refreshesExpiringToken() async throws {
        let setup = try await setUp(expiresIn: 30)
        defer { setup.stop() }
        let fcm = try setup.provider()
        _ = try await fcm.deliver(push(to: "device-token-1"))
        _ = try await fcm.deliver(push(to: "device-token-2"))
        let records = try await setup.peer.records(count: 4)
        let sends = records.filter { $0["kind"]?.stringValue == "send" }
        #expect(records.filter { $0["kind"]?.stringValue == "token" }.count == 2)
        #expect(sends.count == 2 && sends[0]["access_token"] != sends[1]["access_token"])
    }

    @Test("UNREGISTERED is an invalid recipient; 503 is retryable with Retry-After")
    func errors() async throws {
        let setup = try await setUp()
        defer { setup.stop() }
        let fcm = try setup.provider()
        do {
            _ = try await fcm.deliver(push(to: "unregistered-token"))
            Issue.record("an unregistered token was accepted")
        } catch {
            #expect(error == .invalidRecipient(reason: "fcm: UNREGISTERED (HTTP 404)"))
        }
        do {
            _ = try await fcm.deliver(push(to: "busy-token"))
            Issue.record("an unavailable service accepted")
        } catch {
            guard case .retryable(_, let after) = error else { Issue.record("got \(error)"); return }
            #expect(after == 11)
        }
    }

    @Test("a JWT signed with another key is refused by the token endpoint and the failure is permanent")
    func wrongKey() async throws {
        let setup = try await setUp()
        defer { setup.stop() }
        let other = try TestKeyPair.rsa(in: setup.scratch.appendingPathComponent("other", isDirectory: true).creatingDirectory())
        var account = setup.account
        account.privateKey = Secret(other.privateKeyPEM)
        let fcm = try FCMProvider(configuration: .init(serviceAccount: account, baseURL: setup.peer.baseURL), client: HTTPClient(workers: 1))
        do {
            _ = try await fcm.deliver(push(to: "device-token-1"))
            Issue.record("a bad assertion got a token")
        } catch {
            guard case .permanent(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("400"))
            #expect(!reason.contains("PRIVATE KEY"))
        }
        let records = try await setup.peer.records(count: 1)
        #expect(records.first?["verified"]?.boolValue == false)
        #expect(records.first?["error"]?.stringValue?.contains("Signature") == true)
    }

    @Test("unusable keys and service accounts are refused without echoing them")
    func invalidCredentials() throws {
        #expect(throws: PushCredentialError.invalidServiceAccount(reason: "missing private_key")) {
            try FCMServiceAccount(json: Secret(#"{"project_id":"p","client_email":"e"}"#))
        }
        let account = FCMServiceAccount(projectID: "p", clientEmail: "e", privateKey: Secret("-----BEGIN PRIVATE KEY-----\nnot a key\n"))
        do {
            _ = try FCMProvider(configuration: .init(serviceAccount: account), client: HTTPClient(workers: 1))
            Issue.record("a garbage key was accepted")
        } catch {
            #expect(!error.description.contains("not a key"))
        }
    }
}
