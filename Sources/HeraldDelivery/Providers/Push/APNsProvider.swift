import Foundation
import HeraldCore

/// Sends push notifications to Apple devices through APNs over HTTP/2 with token authentication.
///
/// `recipient` is the hex device token; `subject` and `text` become the alert's title and body
/// (an `alert` push), and a message with neither is a silent `background` push. The members of an
/// object `payload` sit beside `aps` as custom data. `apns-id` is derived from the idempotency key,
/// so a retry carries the same id. `Unregistered` (410), `BadDeviceToken` and
/// `DeviceTokenNotForTopic` mean the token should be dropped: invalid recipient.
public struct APNsProvider: MessageProvider {
    private let configuration: Configuration
    private let client: HTTPClient
    private let tokens: APNsTokenSource

    /// Reasons that say the device token is no good for this app.
    static let invalidTokenReasons: Set<String> = ["Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic"]

    /// Creates the provider; throws when the key is not an EC P-256 PEM key.
    public init(configuration: Configuration, client: HTTPClient) throws(PushCredentialError) {
        try self.init(configuration: configuration, client: client, clock: { Date() })
    }

    /// Creates the provider with its own clock (tests of token reuse).
    init(configuration: Configuration, client: HTTPClient, clock: @escaping @Sendable () -> Date) throws(PushCredentialError) {
        let key: SigningKey
        do {
            key = try SigningKey(pem: configuration.privateKey, algorithm: .es256)
        } catch {
            throw .invalidKey(error)
        }
        self.configuration = configuration
        self.client = client
        tokens = APNsTokenSource(key: key, keyID: configuration.keyID, teamID: configuration.teamID, clock: clock)
    }

    /// `apns`.
    public var name: String { "apns" }

    /// The configured HTTP/2 request timeout.
    public var callTimeout: TimeInterval { configuration.timeout }

    /// Sends one notification; the receipt's id is the `apns-id`.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let device = message.recipient.lowercased()
        guard device.count >= 64, device.count % 2 == 0, device.allSatisfy(\.isHexDigit) else {
            throw .invalidRecipient(reason: "apns: not a hex device token")
        }
        let isAlert = message.subject != nil || message.text != nil
        let apnsID = APNsProvider.apnsID(forKey: message.idempotencyKey)
        let providerToken = try await tokens.token()
        let request = HTTPClientRequest(
            method: "POST", url: "\(configuration.baseURL)/3/device/\(device)",
            headers: [
                ("authorization", "bearer \(providerToken)"),
                ("apns-topic", configuration.topic),
                ("apns-push-type", isAlert ? "alert" : "background"),
                ("apns-priority", isAlert ? "10" : "5"),
                ("apns-id", apnsID),
                ("content-type", "application/json"),
            ],
            text: APNsProvider.body(for: message).serialized(), timeout: configuration.timeout,
            version: configuration.httpVersion)
        let response: HTTPClientResponse
        do {
            response = try await client.send(request)
        } catch {
            throw error.providerError
        }
        if let failure = response.providerError(service: "apns") {
            let reason = (try? JSONValue.parse(response.body))?["reason"]?.stringValue ?? ""
            if APNsProvider.invalidTokenReasons.contains(reason) {
                throw .invalidRecipient(reason: "apns: \(reason) (HTTP \(response.status))")
            }
            if reason == "ExpiredProviderToken" {
                await tokens.invalidate()
                throw .retryable(reason: "apns: ExpiredProviderToken (HTTP \(response.status))")
            }
            throw failure
        }
        return ProviderReceipt(
            providerMessageId: response.header("apns-id") ?? apnsID,
            details: ["status": String(response.status), "pushType": isAlert ? "alert" : "background"])
    }

    /// The JSON payload: `aps` plus the payload object's members.
    static func body(for message: OutboundMessage) -> JSONValue {
        var members = message.payload?.objectValue ?? [:]
        if message.subject != nil || message.text != nil {
            var alert: [String: JSONValue] = [:]
            if let title = message.subject { alert["title"] = .string(title) }
            if let body = message.text { alert["body"] = .string(body) }
            members["aps"] = ["alert": .object(alert), "sound": "default"]
        } else {
            members["aps"] = ["content-available": 1]
        }
        return .object(members)
    }

    /// A UUID (RFC 4122 version 5 layout) made from the SHA-256 of `key`, so retries share an `apns-id`.
    static func apnsID(forKey key: String) -> String {
        var bytes = Array(Digest.sha256(Array(key.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Digest.hex(bytes).uppercased()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }
}
