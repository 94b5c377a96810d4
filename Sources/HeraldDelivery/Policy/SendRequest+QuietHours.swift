import HeraldCore

extension SendRequest {
    /// Whether quiet hours may hold this request when it is marketing: the context's
    /// `respectQuietHours` (the journey's `defaults.respectQuietHours`), `true` when absent.
    public var respectsQuietHours: Bool { context["respectQuietHours"]?.boolValue ?? true }

    /// The journey's default zone (`defaults.timeZone`), which the engine puts in the context's
    /// `journey.timeZone`; the second link of the quiet-hours zone chain.
    public var journeyTimeZone: String? { context["journey"]?["timeZone"]?.stringValue }
}
