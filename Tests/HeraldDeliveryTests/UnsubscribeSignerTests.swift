import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite struct UnsubscribeSignerTests {
    let key = Array("0123456789abcdef0123456789abcdef".utf8)
    let issued = Fixtures.date("2026-11-27T09:00:00Z")
    var token: UnsubscribeToken { UnsubscribeToken(userId: "user-42", channel: .email, category: .marketing, issuedAt: issued) }

    @Test func hmacMatchesRFC4231() {
        let mac = MessageAuthentication.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func signAndVerifyRoundTrip() throws {
        let signer = try UnsubscribeSigner(keys: [key])
        let text = signer.sign(token)
        #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
        #expect(try signer.verify(text) == token)
        let all = UnsubscribeToken(userId: "u", channel: .sms, category: nil, issuedAt: issued)
        #expect(try signer.verify(signer.sign(all)).category == nil)
    }

    @Test func tamperingIsDetected() throws {
        let signer = try UnsubscribeSigner(keys: [key])
        let text = signer.sign(token)
        let parts = text.split(separator: ".").map(String.init)
        // A payload naming another user, with the original signature.
        let forged = UnsubscribeToken(userId: "user-43", channel: .email, issuedAt: issued)
        let forgedBody = signer.sign(forged).split(separator: ".")[0]
        #expect(throws: UnsubscribeTokenError.badSignature) { try signer.verify("\(forgedBody).\(parts[1])") }
        // One character of the signature changed.
        var mac = Array(parts[1])
        mac[3] = mac[3] == "A" ? "B" : "A"
        #expect(throws: UnsubscribeTokenError.badSignature) { try signer.verify("\(parts[0]).\(String(mac))") }
        // A truncated signature.
        #expect(throws: UnsubscribeTokenError.badSignature) { try signer.verify("\(parts[0]).\(parts[1].dropLast(4))") }
        #expect(throws: UnsubscribeTokenError.malformed) { try signer.verify("no-dot-here") }
        #expect(throws: UnsubscribeTokenError.malformed) { try signer.verify("\(parts[0]).not base64!") }
    }

    @Test func keysRotate() throws {
        let oldKey = Array("old-key-old-key-old-key".utf8)
        let oldSigner = try UnsubscribeSigner(keys: [oldKey])
        let rotated = try UnsubscribeSigner(keys: [key, oldKey])
        let stranger = try UnsubscribeSigner(keys: [key])
        let oldLink = oldSigner.sign(token)
        #expect(try rotated.verify(oldLink) == token)
        #expect(throws: UnsubscribeTokenError.badSignature) { try stranger.verify(oldLink) }
        #expect(throws: UnsubscribeTokenError.badSignature) { try oldSigner.verify(rotated.sign(token)) }
    }

    @Test func weakKeysAndExpiry() throws {
        #expect(throws: UnsubscribeTokenError.weakKey(index: 1, bytes: 4)) { try UnsubscribeSigner(keys: [key, Array("Jefe".utf8)]) }
        #expect(throws: UnsubscribeTokenError.weakKey(index: 0, bytes: 0)) { try UnsubscribeSigner(keys: []) }
        let signer = try UnsubscribeSigner(keys: [key])
        let text = signer.sign(token)
        #expect(try signer.verify(text, now: issued.addingTimeInterval(86_400), maxAge: 86_400) == token)
        #expect(throws: UnsubscribeTokenError.expired(issuedAt: issued, maxAge: 86_400)) {
            try signer.verify(text, now: issued.addingTimeInterval(86_401), maxAge: 86_400)
        }
    }

    @Test func constantTimeCompare() {
        #expect(MessageAuthentication.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!MessageAuthentication.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!MessageAuthentication.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    @Test func headersAndTheResultingSuppression() throws {
        let signer = try UnsubscribeSigner(keys: [key])
        let headers = signer.listUnsubscribeHeaders(for: token, baseURL: "https://news.example.com/u/", mailto: "unsub@example.com")
        #expect(headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(headers["List-Unsubscribe"] == "<https://news.example.com/u/\(signer.sign(token))>, <mailto:unsub@example.com>")
        let event = token.event(messageId: "unsub-1", at: issued)
        #expect(try FeedbackEvents.suppressionUpdates(for: event)
            == [.add(SuppressionEntry(channel: .email, category: .marketing, reason: .unsubscribed, since: issued))])
    }
}
