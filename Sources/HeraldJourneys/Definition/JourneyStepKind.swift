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
    /// Set, unset or increment profile traits.
    case updateProfile
    /// Call an HTTP endpoint with the step's own request.
    case callWebhook
    /// Enter the user into another journey.
    case startJourney
    /// Join or leave named lists.
    case updateLists
}
