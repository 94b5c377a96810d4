import HeraldCore

/// A change to a user's profile traits, with values already rendered: the effect of an
/// `updateProfile` step (`JourneyEffect.updateProfile`).
public struct ProfileUpdate: Sendable, Hashable {
    /// Traits to set to these values.
    public var set: [String: JSONValue]
    /// Traits to remove.
    public var unset: [String]
    /// Amounts added to numeric traits (absent or non-numeric counts as 0).
    public var increment: [String: Double]

    /// Creates a change.
    public init(set: [String: JSONValue] = [:], unset: [String] = [], increment: [String: Double] = [:]) {
        self.set = set
        self.unset = unset
        self.increment = increment
    }

    /// `profile` with the change applied: sets, then unsets, then increments, as the evaluator's script does.
    public func applied(to profile: [String: JSONValue]) -> [String: JSONValue] {
        var changed = profile
        for (name, value) in set { changed[name] = value }
        for name in unset { changed[name] = nil }
        for (name, delta) in increment {
            let current = changed[name].flatMap(JourneyCondition.number) ?? 0
            changed[name] = .number(current + delta)
        }
        return changed
    }

    /// The traits changed, for the trail: `set plan, unset trial_ends, increment reminders_sent +1`
    /// (names and amounts only; set values can be personal data and stay out of the trail).
    public var summary: String {
        var parts: [String] = []
        if !set.isEmpty { parts.append("set " + set.keys.sorted().joined(separator: ", ")) }
        if !unset.isEmpty { parts.append("unset " + unset.joined(separator: ", ")) }
        if !increment.isEmpty {
            parts.append("increment " + increment.keys.sorted().map { name in
                let delta = increment[name] ?? 0
                return "\(name) \(delta < 0 ? "" : "+")\(JSONValue.format(delta))"
            }.joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }

    /// The change as JSON: `set`, `unset`, `increment`.
    public var json: JSONValue {
        .object([
            "set": .object(set), "unset": .array(unset.map { .string($0) }),
            "increment": .object(increment.mapValues { .number($0) }),
        ])
    }
}
