/// What a timer resumes.
public enum JourneyTimerKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The end of a `wait` step of an instance.
    case resume
    /// The timeout of a `waitForEvent` step of an instance.
    case timeout
    /// An inactivity trigger's deadline for the user.
    case inactivity
    /// A date trigger's moment for the user.
    case date
    /// A throttled entry's reserved slot: the queued instance enters then.
    case entry
}
