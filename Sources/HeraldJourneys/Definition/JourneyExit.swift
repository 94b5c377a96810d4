/// Exit criteria: events that end a live instance at once, and profile conditions it must keep
/// meeting (checked on every identify).
public struct JourneyExit: Sendable, Hashable, Codable {
    /// Any of these events ends the instance.
    public var on: [ExitRule]
    /// The instance stays only while the profile meets this condition ("still a VIP").
    public var audience: JourneyCondition?
    /// With an `audience` trigger: the instance ends when the profile stops meeting the trigger's `where`.
    public var leavesAudience: Bool?

    private enum CodingKeys: String, CodingKey {
        case on, audience, leavesAudience
    }

    /// Creates exit criteria.
    public init(on: [ExitRule] = [], audience: JourneyCondition? = nil, leavesAudience: Bool? = nil) {
        self.on = on
        self.audience = audience
        self.leavesAudience = leavesAudience
    }

    /// Decodes; `on` defaults to none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        on = try container.decodeIfPresent([ExitRule].self, forKey: .on) ?? []
        audience = try container.decodeIfPresent(JourneyCondition.self, forKey: .audience)
        leavesAudience = try container.decodeIfPresent(Bool.self, forKey: .leavesAudience)
    }
}
