/// A share of a random split; a `holdout` group exits (and is recorded) instead of continuing.
public struct SplitGroup: Sendable, Hashable, Codable {
    /// The group's name, recorded in `vars.split` and the trail.
    public var name: String
    /// Its share in whole percent.
    public var percent: Int
    /// Where the group goes; the next step when absent.
    public var next: String?
    /// Whether the group is held out (exits without messages).
    public var holdout: Bool?

    /// Creates a group.
    public init(name: String, percent: Int, next: String? = nil, holdout: Bool? = nil) {
        self.name = name
        self.percent = percent
        self.next = next
        self.holdout = holdout
    }
}
