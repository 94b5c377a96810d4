/// The result of one evaluation: the user's new state and the effects to apply with it.
public struct JourneyEvaluation: Sendable {
    /// The state to store (replacing the old blob).
    public var state: UserJourneyState
    /// The effects, in the order they were produced.
    public var effects: [JourneyEffect]

    /// Creates a result.
    public init(state: UserJourneyState, effects: [JourneyEffect]) {
        self.state = state
        self.effects = effects
    }
}
