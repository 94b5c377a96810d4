import Foundation
import HeraldCore
import HeraldDelivery

extension TwilioStatusCallback {
    /// The `MessageStatus` values that report a final delivery.
    static let deliveredStatuses: Set<String> = ["delivered", "read"]
    /// The `MessageStatus` values that report a final failure.
    static let failedStatuses: Set<String> = ["undelivered", "failed"]

    /// Twilio error codes (`ErrorCode` of an undelivered or failed message) that mean the number
    /// itself cannot be messaged: the provider's API refusals (`TwilioSMSProvider.invalidRecipientCodes`)
    /// and the carrier's 30005 (unknown destination handset) and 30006 (landline or unreachable carrier).
    public static let invalidNumberCodes: Set<Int> = TwilioSMSProvider.invalidRecipientCodes.union([30005, 30006])

    /// The feedback event one signed status callback reports, decided from its form `parameters`
    /// and the callback URL's `query` (Herald's `u` user, `k` idempotency key, `c` channel);
    /// `nil` for an intermediate status (`queued`, `accepted`, `sending`, `sent`, `scheduled`),
    /// which Herald's own `sent` record already covers.
    ///
    /// - `delivered`, `read` → `Message Delivered`
    /// - `undelivered`, `failed` with an invalid-number `ErrorCode` → `SMS Number Invalid` (the
    ///   number suppressed, status `bounced`)
    /// - other `undelivered`, `failed` → `Message Failed` with reason `twilio error <code>`
    /// - `canceled` → `Message Failed` with reason `twilio: canceled`
    public static func event(
        parameters: [(name: String, value: String)], query: [(name: String, value: String)], at: Date
    ) throws(TwilioStatusCallbackError) -> Event? {
        func field(_ name: String) -> String? {
            parameters.first { $0.name == name }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
        }
        func parameter(_ name: String) throws(TwilioStatusCallbackError) -> String {
            guard let value = query.first(where: { $0.name == name })?.value, !value.isEmpty else { throw .missingQueryParameter(name) }
            return value
        }
        let user = try parameter("u")
        let key = try parameter("k")
        let channelText = try parameter("c")
        guard let channel = Channel(rawValue: channelText) else { throw .unknownChannel(channelText) }
        guard let status = field("MessageStatus")?.lowercased() else { throw .missingField("MessageStatus") }
        guard let sid = field("MessageSid") ?? field("SmsSid") else { throw .missingField("MessageSid") }
        var properties: [String: JSONValue] = [
            "messageId": .string(key), "channel": .string(channel.rawValue), "provider": "twilio",
            "providerMessageId": .string(sid), "providerStatus": .string(status),
        ]
        let name: String
        if deliveredStatuses.contains(status) {
            name = DeliveryFeedback.messageDelivered
        } else if failedStatuses.contains(status) || status == "canceled" {
            let code = field("ErrorCode")
            properties["reason"] = .string(code.map { "twilio error \($0)" } ?? "twilio: \(status)")
            if let code { properties["errorCode"] = .string(code) }
            if let code = code.flatMap({ Int($0) }), invalidNumberCodes.contains(code), let to = field("To") {
                name = FeedbackEvents.smsNumberInvalid
                properties["phone"] = .string(to)
            } else {
                name = DeliveryFeedback.messageFailed
            }
        } else {
            return nil
        }
        return Event(
            type: .track, messageId: "edge-twilio-\(sid)-\(status)", userId: user, event: name, properties: properties,
            timestamp: at, context: ["source": .string(TwilioStatusCallback.source)])
    }
}
