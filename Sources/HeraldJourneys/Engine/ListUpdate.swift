import HeraldCore

/// Lists a user joins and leaves: the effect of an `updateLists` step (`JourneyEffect.updateLists`).
/// Only real changes are carried: a list already joined is not in `add`.
public struct ListUpdate: Sendable, Hashable {
    /// Lists joined.
    public var add: [String]
    /// Lists left.
    public var remove: [String]

    /// Creates a change.
    public init(add: [String] = [], remove: [String] = []) {
        self.add = add
        self.remove = remove
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool { add.isEmpty && remove.isEmpty }

    /// `lists` with the change applied.
    public func applied(to lists: Set<String>) -> Set<String> {
        lists.union(add).subtracting(remove)
    }

    /// The change as JSON: `add`, `remove`.
    public var json: JSONValue {
        .object(["add": .array(add.map { .string($0) }), "remove": .array(remove.map { .string($0) })])
    }
}
