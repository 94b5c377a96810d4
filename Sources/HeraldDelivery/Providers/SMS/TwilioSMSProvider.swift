import Foundation
import HeraldCore

/// Sends SMS and WhatsApp messages through Twilio's Messages API.
///
/// A recipient prefixed `whatsapp:` goes out over WhatsApp from the WhatsApp sender. The receipt's
/// id is the Message SID; its details carry Herald's own segment count and encoding (GSM-7 or
/// UCS-2), plus Twilio's `num_segments` and status when it reports them. Twilio error codes that
/// mean the number is wrong or opted out (21211, 21614, 21610, 21612, 63003) are invalid recipients.
public struct TwilioSMSProvider: MessageProvider {
    /// The account and sender.
    public let configuration: Configuration
    private let client: HTTPClient

    /// Twilio error codes that say the recipient cannot be messaged at all.
    public static let invalidRecipientCodes: Set<Int> = [21211, 21214, 21217, 21407, 21421, 21610, 21612, 21614, 63003]

    /// Creates the provider.
    public init(configuration: Configuration, client: HTTPClient) {
        self.configuration = configuration
        self.client = client
    }

    /// `twilio`.
    public var name: String { "twilio" }

    /// The configured HTTP request timeout.
    public var callTimeout: TimeInterval { configuration.timeout }

    /// Creates the message at Twilio.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let isWhatsApp = message.recipient.lowercased().hasPrefix("whatsapp:")
        let number = isWhatsApp ? String(message.recipient.dropFirst("whatsapp:".count)) : message.recipient
        guard TwilioSMSProvider.isE164(number) else { throw .invalidRecipient(reason: "not an E.164 phone number") }
        let text = message.text ?? message.subject ?? ""
        guard !text.isEmpty else { throw .permanent(reason: "twilio: message has no text") }

        var fields: [(String, String)] = [("To", isWhatsApp ? "whatsapp:" + number : number)]
        if isWhatsApp, let sender = configuration.whatsAppFrom ?? configuration.from.map({ "whatsapp:" + $0 }) {
            fields.append(("From", sender))
        } else if let service = configuration.messagingServiceSID {
            fields.append(("MessagingServiceSid", service))
        } else if let from = configuration.from {
            fields.append(("From", from))
        } else {
            throw .permanent(reason: "twilio: neither a From number nor a Messaging Service SID is configured")
        }
        fields.append(("Body", text))
        if let callback = configuration.statusCallback {
            fields.append(("StatusCallback", TwilioSMSProvider.statusCallbackURL(callback, for: message)))
        }

        let user = configuration.apiKeySID ?? configuration.accountSID
        let credentials = Data("\(user):\(configuration.authToken.reveal())".utf8).base64EncodedString()
        let account = HTTPFormEncoding.escape(configuration.accountSID)
        let request = HTTPClientRequest(
            method: "POST", url: "\(configuration.baseURL)/2010-04-01/Accounts/\(account)/Messages.json",
            headers: [
                ("Authorization", "Basic \(credentials)"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            text: HTTPFormEncoding.encode(fields), timeout: configuration.timeout)
        let response: HTTPClientResponse
        do {
            response = try await client.send(request)
        } catch {
            throw error.providerError
        }
        let json = try? JSONValue.parse(response.body)
        if let failure = response.providerError(service: "twilio") {
            let code = json?["code"]?.numberValue.map { Int($0) }
            if let code, TwilioSMSProvider.invalidRecipientCodes.contains(code) {
                throw .invalidRecipient(reason: "twilio error \(code) (HTTP \(response.status)): \(json?["message"]?.stringValue ?? "")")
            }
            throw failure
        }
        guard let sid = json?["sid"]?.stringValue else {
            throw .retryable(reason: "twilio answered HTTP \(response.status) without a message sid")
        }
        let segments = SMSSegments.count(text: text)
        var details = ["segments": String(segments.segments), "encoding": segments.encoding.rawValue,
                       "channel": isWhatsApp ? "whatsapp" : "sms"]
        if let reported = json?["num_segments"]?.displayText, reported != "null" { details["twilioSegments"] = reported }
        if let status = json?["status"]?.stringValue { details["status"] = status }
        return ProviderReceipt(providerMessageId: sid, details: details)
    }

    /// `base` with the message's user (`u`), idempotency key (`k`) and channel (`c`) appended to its
    /// query, so the edge ties Twilio's status callback to the delivery. Twilio signs the URL with
    /// its query, so the parameters are authenticated; they are form-encoded (WHATWG), the encoding
    /// the edge re-encodes them with to check the signature.
    public static func statusCallbackURL(_ base: String, for message: OutboundMessage) -> String {
        let query = HTTPFormEncoding.encode([("u", message.userId), ("k", message.idempotencyKey), ("c", message.channel.rawValue)])
        return base + (base.contains("?") ? "&" : "?") + query
    }

    /// Whether `number` is `+` followed by 2 to 15 digits, the first not 0.
    static func isE164(_ number: String) -> Bool {
        let digits = number.dropFirst()
        return number.hasPrefix("+") && (2...15).contains(digits.count) && digits.allSatisfy(\.isASCII)
            && digits.allSatisfy(\.isNumber) && digits.first != "0"
    }
}
