import Foundation
import HeraldCore

/// Sends push notifications through Firebase Cloud Messaging's HTTP v1 API.
///
/// `recipient` is the device registration token, `subject` and `text` become the notification's
/// title and body, and the members of an object `payload` become the string-valued `data` map.
/// A token FCM reports as `UNREGISTERED` (or 404) is an invalid recipient, so the pipeline drops it.
public struct FCMProvider: MessageProvider {
    private let configuration: Configuration
    private let client: HTTPClient
    private let tokens: FCMAccessTokenSource

    /// Creates the provider; throws when the service account's private key is unusable.
    public init(configuration: Configuration, client: HTTPClient) throws(PushCredentialError) {
        try self.init(configuration: configuration, client: client, clock: { Date() })
    }

    /// Creates the provider with its own clock (tests of token caching).
    init(configuration: Configuration, client: HTTPClient, clock: @escaping @Sendable () -> Date) throws(PushCredentialError) {
        let key: SigningKey
        do {
            key = try SigningKey(pem: configuration.serviceAccount.privateKey, algorithm: .rs256)
        } catch {
            throw .invalidKey(error)
        }
        self.configuration = configuration
        self.client = client
        tokens = FCMAccessTokenSource(
            account: configuration.serviceAccount, key: key, client: client, timeout: configuration.timeout, clock: clock)
    }

    /// `fcm`.
    public var name: String { "fcm" }

    /// The token exchange and the send, each with the configured timeout.
    public var callTimeout: TimeInterval { configuration.timeout * 2 }

    /// Sends one message; the receipt's id is FCM's message name (`projects/…/messages/…`).
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        guard !message.recipient.isEmpty, !message.recipient.contains(where: { $0.isWhitespace }) else {
            throw .invalidRecipient(reason: "empty or malformed FCM registration token")
        }
        let accessToken = try await tokens.token()
        let project = HTTPFormEncoding.escape(configuration.serviceAccount.projectID)
        let request = HTTPClientRequest(
            method: "POST", url: "\(configuration.baseURL)/v1/projects/\(project)/messages:send",
            headers: [("Authorization", "Bearer \(accessToken)"), ("Content-Type", "application/json; charset=UTF-8")],
            text: FCMProvider.body(for: message).serialized(), timeout: configuration.timeout)
        let response: HTTPClientResponse
        do {
            response = try await client.send(request)
        } catch {
            throw error.providerError
        }
        if let failure = response.providerError(service: "fcm") {
            let json = try? JSONValue.parse(response.body)
            let codes = (json?["error"]?["details"]?.arrayValue ?? []).compactMap { $0["errorCode"]?.stringValue }
            if response.status == 404 || codes.contains("UNREGISTERED") || codes.contains("SENDER_ID_MISMATCH") {
                throw .invalidRecipient(reason: "fcm: \(codes.first ?? "NOT_FOUND") (HTTP \(response.status))")
            }
            if response.status == 401 {
                // The cached access token was revoked or expired early; the next attempt gets a new one.
                await tokens.invalidate()
                throw .retryable(reason: "fcm: access token rejected (HTTP 401)")
            }
            throw failure
        }
        let name = (try? JSONValue.parse(response.body))?["name"]?.stringValue ?? ""
        return ProviderReceipt(providerMessageId: name, details: ["status": String(response.status)])
    }

    /// The `messages:send` request body for `message`.
    static func body(for message: OutboundMessage) -> JSONValue {
        var fcmMessage: [String: JSONValue] = ["token": .string(message.recipient)]
        var notification: [String: JSONValue] = [:]
        if let title = message.subject { notification["title"] = .string(title) }
        if let body = message.text { notification["body"] = .string(body) }
        if !notification.isEmpty { fcmMessage["notification"] = .object(notification) }
        if let members = message.payload?.objectValue, !members.isEmpty {
            // FCM's data map only takes strings; nested values travel as their JSON text.
            fcmMessage["data"] = .object(members.mapValues { .string($0.displayText) })
        }
        return ["message": .object(fcmMessage)]
    }
}
