import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite("TwilioSMSProvider against a Twilio-shaped peer")
struct TwilioSMSProviderTests {
    static let account = "AC0123456789abcdef0123456789abcdef"
    static let token = "tw-token-do-not-log"

    func startPeer() async throws -> PeerProcess {
        try await PeerProcess.start(script: "twilio_peer.py", arguments: ["--account", Self.account, "--token", Self.token])
    }

    func provider(_ peer: PeerProcess, token: String = token, messagingService: String? = nil) -> TwilioSMSProvider {
        TwilioSMSProvider(
            configuration: .init(
                accountSID: Self.account, authToken: Secret(token), from: "+15005550006", messagingServiceSID: messagingService,
                statusCallback: "https://herald.example.com/twilio/status?x=1&y=2", baseURL: peer.baseURL, timeout: 5),
            client: HTTPClient(workers: 1))
    }

    func sms(to recipient: String, text: String = "Your code is 123456") -> OutboundMessage {
        OutboundMessage(channel: .sms, idempotencyKey: "otp:u1", userId: "u1", recipient: recipient, text: text)
    }

    @Test("sends form fields with basic auth and returns the SID with segment details")
    func sends() async throws {
        let peer = try await startPeer()
        defer { peer.stop() }
        let text = "Grüße! Dein Code: 123 & mehr 😀"
        let receipt = try await provider(peer).deliver(sms(to: "+4915112345678", text: text))
        let record = try #require(await peer.records(count: 1).first)
        #expect(record["auth_ok"]?.boolValue == true)
        #expect(record["content_type"]?.stringValue == "application/x-www-form-urlencoded")
        #expect(record["form"]?["To"]?.stringValue == "+4915112345678")
        #expect(record["form"]?["From"]?.stringValue == "+15005550006")
        #expect(record["form"]?["Body"]?.stringValue == text)
        // The message's user, key and channel ride on the callback URL, so the edge can tie the status to the delivery.
        #expect(record["form"]?["StatusCallback"]?.stringValue == "https://herald.example.com/twilio/status?x=1&y=2&u=u1&k=otp%3Au1&c=sms")
        #expect(receipt.providerMessageId.hasPrefix("SM") && receipt.providerMessageId.count == 34)
        #expect(receipt.details["segments"] == "1")
        #expect(receipt.details["encoding"] == "UCS-2")
        #expect(receipt.details["twilioSegments"] == "1")
        #expect(receipt.details["status"] == "queued")
    }

    @Test("the status callback URL gains the user, idempotency key and channel, form-encoded")
    func statusCallbackURL() {
        let message = OutboundMessage(channel: .sms, idempotencyKey: "welcome-u 1/text", userId: "ann@example.com", recipient: "+4915112345678")
        #expect(TwilioSMSProvider.statusCallbackURL("https://edge.example.com/callbacks/twilio", for: message)
            == "https://edge.example.com/callbacks/twilio?u=ann%40example.com&k=welcome-u+1%2Ftext&c=sms")
        #expect(TwilioSMSProvider.statusCallbackURL("https://edge.example.com/callbacks/twilio?env=prod", for: message)
            == "https://edge.example.com/callbacks/twilio?env=prod&u=ann%40example.com&k=welcome-u+1%2Ftext&c=sms")
    }

    @Test("WhatsApp recipients use the whatsapp: sender; a messaging service replaces From")
    func whatsAppAndService() async throws {
        let peer = try await startPeer()
        defer { peer.stop() }
        let whatsapp = try await provider(peer).deliver(sms(to: "whatsapp:+4915112345678"))
        #expect(whatsapp.details["channel"] == "whatsapp")
        _ = try await provider(peer, messagingService: "MG0123456789abcdef0123456789abcdef").deliver(sms(to: "+4915112345678"))
        let records = try await peer.records(count: 2)
        #expect(records.first?["form"]?["To"]?.stringValue == "whatsapp:+4915112345678")
        #expect(records.first?["form"]?["From"]?.stringValue == "whatsapp:+15005550006")
        #expect(records.last?["form"]?["MessagingServiceSid"]?.stringValue == "MG0123456789abcdef0123456789abcdef")
        #expect(records.last?["form"]?["From"] == nil)
    }

    @Test("21211 is an invalid recipient, 429 retryable with Retry-After, 503 retryable, bad auth permanent")
    func errors() async throws {
        let peer = try await startPeer()
        defer { peer.stop() }
        let twilio = provider(peer)
        func outcome(_ twilio: TwilioSMSProvider, _ number: String) async -> ProviderError? {
            do {
                _ = try await twilio.deliver(sms(to: number))
                return nil
            } catch {
                return error
            }
        }
        guard case .invalidRecipient(let reason) = await outcome(twilio, "+15005550001") else {
            Issue.record("21211 was not an invalid recipient")
            return
        }
        #expect(reason.contains("21211"))
        guard case .retryable(_, let after) = await outcome(twilio, "+15005550429") else { Issue.record("429 not retryable"); return }
        #expect(after == 3)
        #expect(await outcome(twilio, "+15005550503")?.isRetryable == true)
        let wrong = await outcome(provider(peer, token: "wrong-token"), "+4915112345678")
        guard case .permanent(let authReason) = wrong else { Issue.record("bad auth was \(String(describing: wrong))"); return }
        #expect(authReason.contains("401"))
        #expect(!authReason.contains("wrong-token") && !authReason.contains(Self.token))
        #expect(await outcome(twilio, "015112345678") == .invalidRecipient(reason: "not an E.164 phone number"))
    }

    @Test("GSM-7 and UCS-2 segment counts")
    func segmentCounts() {
        func segments(_ text: String) -> (encoding: SMSEncoding, count: Int) {
            let result = SMSSegments.count(text: text)
            return (result.encoding, result.segments)
        }
        #expect(segments("").count == 0)
        #expect(segments(String(repeating: "a", count: 160)).count == 1)
        #expect(segments(String(repeating: "a", count: 161)).count == 2)
        #expect(segments(String(repeating: "a", count: 306)).count == 2)
        #expect(segments(String(repeating: "a", count: 307)).count == 3)
        let euros = segments(String(repeating: "€", count: 80))
        #expect(euros.encoding == .gsm7 && euros.count == 1, "€ is an escape pair: 80 of them fill one 160-septet segment")
        // 152 septets then an escape pair: the pair moves to the next segment rather than splitting.
        #expect(segments(String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 10)).count == 2)
        #expect(segments("Grüße aus Köln").encoding == .gsm7)
        let accents = segments("Pozdrowienia z Krakowa, cześć")
        #expect(accents.encoding == .ucs2 && accents.count == 1)
        #expect(segments(String(repeating: "ç", count: 70)).count == 1)  // ç is not GSM; Ç is
        #expect(segments(String(repeating: "ç", count: 71)).count == 2)
        #expect(segments(String(repeating: "Ç", count: 70)).encoding == .gsm7)
        #expect(segments(String(repeating: "д", count: 70)).count == 1)
        #expect(segments(String(repeating: "д", count: 71)).count == 2)
        #expect(segments(String(repeating: "😀", count: 34)).count == 1)
        // 134 units would fit two 67-unit segments, but "ab" + 32 emoji leave one unit free and a
        // surrogate pair is never split, so a third segment is needed.
        #expect(segments("ab" + String(repeating: "😀", count: 66)).count == 3)
    }

    @Test("form encoding escapes reserved characters")
    func formEncoding() {
        #expect(HTTPFormEncoding.encode([("Body", "a b&c=d+é"), ("To", "+1")]) == "Body=a+b%26c%3Dd%2B%C3%A9&To=%2B1")
    }

    @Test("configuration reads the compose secrets' variable names")
    func configurationFromEnvironment() throws {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sid = directory.appendingPathComponent("sid")
        let token = directory.appendingPathComponent("token")
        try "\(Self.account)\n".write(to: sid, atomically: true, encoding: .utf8)
        try "\(Self.token)\n".write(to: token, atomically: true, encoding: .utf8)
        let configuration = try TwilioSMSProvider.Configuration(environment: CredentialSource(environment: [
            "HERALD_TWILIO_ACCOUNT_SID_FILE": sid.path, "HERALD_TWILIO_AUTH_TOKEN_FILE": token.path,
            "HERALD_TWILIO_FROM": "+15005550006",
        ]))
        #expect(configuration.accountSID == Self.account)
        #expect(configuration.authToken.reveal() == Self.token)
        #expect(configuration.from == "+15005550006" && configuration.baseURL == "https://api.twilio.com")
        #expect(!"\(configuration)".contains(Self.token))
    }
}
