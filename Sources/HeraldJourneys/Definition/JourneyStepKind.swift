/// The kinds of step, named as their JSON member.
public enum JourneyStepKind: String, Sendable, Hashable, CaseIterable {
    /// Send a message.
    case send
    /// Pause.
    case wait
    /// Wait for an event or a timeout.
    case waitForEvent
    /// Choose by condition.
    case branch
    /// Choose by stable random share.
    case split
    /// End.
    case exit
}
