import HeraldCore

/// An input of an identity merged into another user, written to the target's partition events
/// stream (docs/journeys.md, "Identity merge").
public enum EvaluatorForward: Sendable {
    /// An event (`fromHerald`: Herald's own feedback), now naming `target`.
    case event(Event, fromHerald: Bool, target: String)
    /// A snapshot whose target was itself merged on: it follows to `snapshot.into`.
    case merge(IdentitySnapshot)
}
