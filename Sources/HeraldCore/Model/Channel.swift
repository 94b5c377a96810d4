/// A way to reach a person. Each channel has its own sender executable and stream.
public enum Channel: String, Sendable, Hashable, CaseIterable, Codable {
    /// Email (SMTP or the outbox directory).
    case email
    /// SMS and WhatsApp through a messaging API.
    case sms
    /// Mobile push (FCM, APNs).
    case push
    /// A signed HTTP call to the business's own endpoint.
    case webhook
    /// A message in the user's in-app inbox.
    case inapp
}

/// Whether a message is promotional or part of a transaction the user started.
///
/// Transactional messages bypass frequency caps and quiet hours; marketing messages honour both
/// and need marketing consent.
public enum MessageCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// Promotional: caps, quiet hours and marketing consent apply.
    case marketing
    /// Expected by the user (receipts, password resets): delivered whenever allowed.
    case transactional
}
