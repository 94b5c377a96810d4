import Foundation
import HeraldCore

/// Delivers a message as a signed JSON POST to the URL in `recipient`, or to the configured
/// `endpoint` when there is one (Standard Webhooks).
///
/// `webhook-id` is the idempotency key, so the receiver can drop a retried delivery it has already
/// processed; `webhook-timestamp` is the send time in Unix seconds; `webhook-signature` signs both
/// with the body. The body is the message's payload, or `{subject, text, userId}` when it has none.
/// A journey's `callWebhook` step sets the method and adds its own headers (`OutboundMessage.method`, `headers`).
public struct WebhookProvider: MessageProvider {
    private let signer: WebhookSigner
    private let client: HTTPClient
    private let configuration: Configuration
    private let clock: @Sendable () -> Date

    /// Creates the provider; throws when the secret is not a valid `whsec_` secret.
    public init(configuration: Configuration, client: HTTPClient) throws(WebhookSignerError) {
        try self.init(configuration: configuration, client: client, clock: { Date() })
    }

    /// Creates the provider with its own clock (tests of timestamp handling).
    init(configuration: Configuration, client: HTTPClient, clock: @escaping @Sendable () -> Date) throws(WebhookSignerError) {
        signer = try WebhookSigner(secret: configuration.secret)
        self.client = client
        self.configuration = configuration
        self.clock = clock
    }

    /// `webhook`.
    public var name: String { "webhook" }

    /// The configured HTTP request timeout.
    public var callTimeout: TimeInterval { configuration.timeout }

    /// POSTs the signed body; 2xx is success, 429/5xx/timeouts retryable, other statuses permanent.
    /// The receipt's id is the `webhook-id`.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let url = configuration.endpoint ?? message.recipient
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://"), !url.contains(where: \.isWhitespace) else {
            throw .invalidRecipient(reason: "webhook recipient is not an http(s) URL")
        }
        let body = Array(WebhookProvider.body(for: message).serialized().utf8)
        let timestamp = Int(clock().timeIntervalSince1970)
        let method = message.method ?? "POST"
        // A call step's own headers, after the ones the signature depends on (which it may not set).
        let own = message.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let request = HTTPClientRequest(
            method: method, url: url,
            headers: [
                ("Content-Type", "application/json"),
                ("User-Agent", configuration.userAgent),
                ("webhook-id", message.idempotencyKey),
                ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", signer.signature(id: message.idempotencyKey, timestamp: timestamp, body: body)),
            ] + own,
            body: body, timeout: configuration.timeout)
        let response: HTTPClientResponse
        do {
            response = try await client.send(request)
        } catch {
            throw error.providerError
        }
        if let failure = response.providerError(service: "webhook \(HTTPClientError.redact(url))") { throw failure }
        var details = ["status": String(response.status)]
        // A call step's delivery record says which request was made.
        if message.method != nil {
            details["method"] = method
            details["url"] = HTTPClientError.redact(url)
        }
        return ProviderReceipt(providerMessageId: message.idempotencyKey, details: details)
    }

    /// The JSON body for `message`.
    static func body(for message: OutboundMessage) -> JSONValue {
        if let payload = message.payload { return payload }
        var members: [String: JSONValue] = ["userId": .string(message.userId)]
        if let subject = message.subject { members["subject"] = .string(subject) }
        if let text = message.text { members["text"] = .string(text) }
        return .object(members)
    }
}
