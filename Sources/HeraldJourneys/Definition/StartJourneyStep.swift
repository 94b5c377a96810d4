/// Enters the user into another journey in the same evaluation, under that journey's entry rules
/// (re-entry, concurrency key, live caps), with this instance's trigger event as its trigger.
///
/// A journey already being started in the same evaluation is not started again (a cycle), and
/// the target's trail says which instance and step started it.
public struct StartJourneyStep: Sendable, Hashable, Codable {
    /// The target journey's id; its latest published version is entered.
    public var journey: String

    /// Creates a start-journey step.
    public init(journey: String) {
        self.journey = journey
    }
}
