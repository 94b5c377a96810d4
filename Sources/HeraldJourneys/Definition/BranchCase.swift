/// One arm of a branch: when the condition holds, go to `next`.
public struct BranchCase: Sendable, Hashable, Codable {
    /// The test.
    public var when: JourneyCondition
    /// The step to go to.
    public var next: String

    /// Creates an arm.
    public init(when: JourneyCondition, next: String) {
        self.when = when
        self.next = next
    }
}
