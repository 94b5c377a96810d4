/// The result of one evaluation: the user's new state and the effects to apply with it.
public struct JourneyEvaluation: Sendable {
    /// The state to store (replacing the old blob).
    public var state: UserJourneyState
    /// The effects, in the order they were produced.
    public var effects: [JourneyEffect]
    /// Throttled entries this input would make that had no reserved slot: reserve each
    /// (`EntrySlotRequest`) and evaluate the same input again with the slots; until then the
    /// result must not be applied. Empty for every input that triggers no throttled journey.
    public var slotRequests: [EntrySlotRequest]

    /// Creates a result.
    public init(state: UserJourneyState, effects: [JourneyEffect], slotRequests: [EntrySlotRequest] = []) {
        self.state = state
        self.effects = effects
        self.slotRequests = slotRequests
    }
}
