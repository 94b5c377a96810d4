/// Chooses the first case whose condition holds, else `default` (else the next step).
public struct BranchStep: Sendable, Hashable, Codable {
    /// The arms, tested in order.
    public var cases: [BranchCase]
    /// The step when no arm holds.
    public var `default`: String?

    /// Creates a branch.
    public init(cases: [BranchCase], default: String? = nil) {
        self.cases = cases
        self.default = `default`
    }
}
