import HeraldCore

/// One user's stored data as the evaluator loads it once per batch (`EvaluatorStore.load`).
/// Nothing here is decoded or defaulted over: the handler decides what unreadable data means.
public struct EvaluatorUserSnapshot: Sendable, Hashable {
    /// The stored journey state (`Keyspace.journeyState`).
    public var state: EvaluatorStoredState
    /// The profile's traits (`Keyspace.profile`), each as stored (JSON, else its text).
    public var profile: [String: JSONValue]
    /// Why the profile cannot be read (a key of another type), if it cannot.
    public var profileProblem: String?
    /// The lists the user is a member of (`Keyspace.memberships`).
    public var memberships: Set<String>
    /// Why the memberships cannot be read, if they cannot.
    public var membershipsProblem: String?
    /// The user this identity was merged into (`Keyspace.mergedInto`), if it was.
    public var mergedInto: String?

    /// Creates a snapshot; the defaults are a user with nothing stored.
    public init(
        state: EvaluatorStoredState = .none, profile: [String: JSONValue] = [:], profileProblem: String? = nil,
        memberships: Set<String> = [], membershipsProblem: String? = nil, mergedInto: String? = nil
    ) {
        self.state = state
        self.profile = profile
        self.profileProblem = profileProblem
        self.memberships = memberships
        self.membershipsProblem = membershipsProblem
        self.mergedInto = mergedInto
    }
}
