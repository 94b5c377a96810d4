/// Changes the user's profile traits: `set` (values may be templates over the step context),
/// `unset`, and `increment` (a number added to a numeric trait; absent counts as 0).
///
/// The change is visible to the rest of the run and to later inputs, and is written atomically
/// with the input's other effects.
public struct UpdateProfileStep: Sendable, Hashable, Codable {
    /// Traits to set, by name; a string value is a template (`"{{event.properties.plan}}"` keeps the value's type).
    public var set: [String: StoredJSON]?
    /// Traits to remove.
    public var unset: [String]?
    /// Amounts to add, by trait name (negative to subtract).
    public var increment: [String: Double]?

    /// Creates a profile update.
    public init(set: [String: StoredJSON]? = nil, unset: [String]? = nil, increment: [String: Double]? = nil) {
        self.set = set
        self.unset = unset
        self.increment = increment
    }

    /// Every trait the step names, in `set`, `unset` and `increment` order, each sorted.
    public var traits: [String] {
        (set?.keys.sorted() ?? []) + (unset ?? []) + (increment?.keys.sorted() ?? [])
    }
}
