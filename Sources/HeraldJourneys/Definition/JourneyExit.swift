/// Exit criteria.
public struct JourneyExit: Sendable, Hashable, Codable {
    /// Any of these events ends the instance.
    public var on: [ExitRule]

    /// Creates exit criteria.
    public init(on: [ExitRule]) {
        self.on = on
    }
}
