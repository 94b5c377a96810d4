import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite("MIMEMessage")
struct MIMEMessageTests {
    let longText = String(repeating: "Grüße aus Köln — ", count: 40) + "\n" + String(repeating: "x", count: 2000) + "  \n.leading dot\nend"

    @Test("a multipart message round-trips through Python's email parser")
    func roundTrip() throws {
        let message = MIMEMessage(
            from: "news@example.com", fromName: "Herald Ünïcode", to: "ada@example.org",
            subject: "Ihre Bestellung ist unterwegs 🚚 — " + String(repeating: "Ä", count: 60),
            text: longText, html: "<p>Grüße</p>\r\n<p>" + String(repeating: "y", count: 1500) + "</p>",
            unsubscribeURL: "https://example.com/u/abc", unsubscribeMailto: "mailto:unsub@example.com?subject=abc",
            idempotencyKey: "journey/welcome:user-1:step-2")
        let parsed = try EmailParsing.describe(message.bytes)
        #expect(parsed["content_type"]?.stringValue == "multipart/alternative")
        #expect(parsed["subject"]?.stringValue == message.subject)
        #expect(parsed["from_name"]?.stringValue == "Herald Ünïcode")
        #expect(parsed["from_address"]?.stringValue == "news@example.com")
        #expect(parsed["to"]?.stringValue == "ada@example.org")
        #expect(EmailParsing.body(parsed, type: "text/plain") == longText)
        #expect(EmailParsing.body(parsed, type: "text/html") == "<p>Grüße</p>\n<p>" + String(repeating: "y", count: 1500) + "</p>")
        #expect(parsed["headers"]?["list-unsubscribe"]?.stringValue == "<https://example.com/u/abc>, <mailto:unsub@example.com?subject=abc>")
        #expect(parsed["headers"]?["list-unsubscribe-post"]?.stringValue == "List-Unsubscribe=One-Click")
        #expect(parsed["headers"]?["x-herald-idempotency-key"]?.stringValue == "journey/welcome:user-1:step-2")
        #expect(parsed["headers"]?["mime-version"]?.stringValue == "1.0")
        #expect(parsed["date_parsed"]?.boolValue == true)
        #expect(parsed["defects"]?.arrayValue?.isEmpty == true)
        #expect(parsed["bare_line_feeds"]?.numberValue == 0)
        #expect(parsed["ends_with_crlf"]?.boolValue == true)
        #expect((parsed["max_line_length"]?.numberValue ?? 999) <= 78)
        let id = try #require(parsed["message_id"]?.stringValue)
        #expect(id.hasPrefix("<") && id.hasSuffix("@example.com>") && id.count == 50)
    }

    @Test("encoded-words stay within 75 characters and quoted-printable lines within 76")
    func lineLimits() {
        let words = MIMEEncoding.encodedWords(String(repeating: "日本語のテキスト", count: 20))
        let pieces = words.components(separatedBy: "\r\n ")
        #expect(pieces.count > 1)
        #expect(pieces.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let encoded = MIMEEncoding.quotedPrintable(String(repeating: "é=", count: 300) + " ")
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.count > 10)
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.last?.hasSuffix("=20") == true)
        #expect(MIMEEncoding.encodedWords("Plain subject") == "Plain subject")
    }

    @Test("header values cannot inject headers and single-part messages have no multipart wrapper")
    func injectionAndSinglePart() throws {
        let message = MIMEMessage(
            from: "news@example.com", to: "ada@example.org", subject: "Hello\r\nBcc: victim@example.net",
            text: "Only text", extraHeaders: ["X-Campaign": "spring\nBcc: other@example.net", "Content-Type": "text/evil"])
        let parsed = try EmailParsing.describe(message.bytes)
        #expect(parsed["headers"]?["bcc"] == nil)
        #expect(parsed["content_type"]?.stringValue == "text/plain")
        #expect(parsed["headers"]?["x-campaign"]?.stringValue == "springBcc: other@example.net")
        #expect(EmailParsing.body(parsed, type: "text/plain") == "Only text")
        #expect(parsed["headers"]?["list-unsubscribe"] == nil)
    }

    @Test("a List-Unsubscribe header given by the pipeline passes through with the one-click header")
    func passThroughUnsubscribe() throws {
        let outbound = OutboundMessage(
            channel: .email, idempotencyKey: "k1", userId: "u1", recipient: "ada@example.org", subject: "Hi", text: "Body",
            headers: ["List-Unsubscribe": "<https://example.com/u/1>"])
        let parsed = try EmailParsing.describe(MIMEMessage(message: outbound, from: "news@example.com").bytes)
        #expect(parsed["headers"]?["list-unsubscribe"]?.stringValue == "<https://example.com/u/1>")
        #expect(parsed["headers"]?["list-unsubscribe-post"]?.stringValue == "List-Unsubscribe=One-Click")
        #expect(parsed["headers"]?["x-herald-idempotency-key"]?.stringValue == "k1")
    }

    @Test("every attempt of one message carries the same Message-ID; other messages get others")
    func stableMessageID() {
        func email(_ key: String) -> MIMEMessage {
            MIMEMessage(message: OutboundMessage(channel: .email, idempotencyKey: key, userId: "u1", recipient: "ann@example.com", subject: "Hi", text: "x"), from: "shop@example.com")
        }
        let first = email("j1|i1|s1"), resent = email("j1|i1|s1"), other = email("j1|i1|s2")
        #expect(first.messageID == resent.messageID)
        #expect(first.messageID != other.messageID)
        #expect(first.messageID.hasPrefix("<herald.") && first.messageID.hasSuffix("@example.com>"))
        #expect(first.messageID.count == "<herald.".count + 32 + "@example.com>".count, "no key text leaks into the header")
    }
}
