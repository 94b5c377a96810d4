/// What a provider reports after accepting a message.
public struct ProviderReceipt: Sendable, Hashable {
    /// The provider's own id for the message (Message-ID, Twilio SID, FCM name …).
    public var providerMessageId: String
    /// Extra facts worth recording with the delivery (e.g. `segments: 2`, `encoding: UCS-2`).
    public var details: [String: String]

    /// Creates a receipt.
    public init(providerMessageId: String, details: [String: String] = [:]) {
        self.providerMessageId = providerMessageId
        self.details = details
    }
}
