/// Whether a user may enter a journey again.
public enum ReentryPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Once per user, ever.
    case never
    /// Again once the previous instance for the same concurrency key has exited; while it is live,
    /// a new trigger refreshes it (latest context, bounded wait reset) instead.
    case afterExit
    /// Every trigger starts a new instance, even while others are live (subject to the live cap).
    case always
}
