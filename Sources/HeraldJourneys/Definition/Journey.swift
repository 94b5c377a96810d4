import Foundation

/// A journey definition, read from a JSON file in `config/journeys/` (see docs/journeys.md).
public struct Journey: Sendable, Hashable, Codable {
    /// Stable identifier, e.g. `abandoned-cart`.
    public var id: String
    /// A human name.
    public var name: String
    /// Set by publishing; instances finish on the version they entered. 1 when absent.
    public var version: Int
    /// How users enter.
    public var trigger: JourneyTrigger
    /// Entry rules.
    public var entry: JourneyEntry
    /// Exit criteria.
    public var exit: JourneyExit?
    /// The conversion goal.
    public var goal: JourneyGoal?
    /// The steps, run in order unless a step names its `next`.
    public var steps: [JourneyStep]
    /// Defaults.
    public var defaults: JourneyDefaults

    private enum CodingKeys: String, CodingKey {
        case id, name, version, trigger, entry, exit, goal, steps, defaults
    }

    /// Creates a journey.
    public init(
        id: String, name: String? = nil, version: Int = 1, trigger: JourneyTrigger, entry: JourneyEntry = JourneyEntry(),
        exit: JourneyExit? = nil, goal: JourneyGoal? = nil, steps: [JourneyStep], defaults: JourneyDefaults = JourneyDefaults()
    ) {
        self.id = id
        self.name = name ?? id
        self.version = version
        self.trigger = trigger
        self.entry = entry
        self.exit = exit
        self.goal = goal
        self.steps = steps
        self.defaults = defaults
    }

    /// Decodes, filling defaults for `name`, `version`, `entry` and `defaults`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? id
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        trigger = try container.decode(JourneyTrigger.self, forKey: .trigger)
        entry = try container.decodeIfPresent(JourneyEntry.self, forKey: .entry) ?? JourneyEntry()
        exit = try container.decodeIfPresent(JourneyExit.self, forKey: .exit)
        goal = try container.decodeIfPresent(JourneyGoal.self, forKey: .goal)
        steps = try container.decode([JourneyStep].self, forKey: .steps)
        defaults = try container.decodeIfPresent(JourneyDefaults.self, forKey: .defaults) ?? JourneyDefaults()
    }

    /// Decodes a journey file without validating it (use `JourneyValidator` for messages with paths).
    public static func decode(_ data: Data) throws -> Journey {
        try JSONDecoder().decode(Journey.self, from: data)
    }

    /// The step with `id`.
    public func step(_ id: String) -> JourneyStep? {
        steps.first { $0.id == id }
    }

    /// The step run after `id` when it names no `next`: the following one in the list.
    public func following(_ id: String) -> String? {
        guard let index = steps.firstIndex(where: { $0.id == id }) else { return nil }
        if let next = steps[index].next { return next }
        return index + 1 < steps.count ? steps[index + 1].id : nil
    }

    /// Every event name a live instance reacts to (exit, goal, waits, `happened` tests, re-triggers).
    public var interest: Set<String> {
        var names: Set<String> = []
        if let behaviour = trigger.behaviour { names.insert(behaviour.event) }
        if let name = trigger.milestone?.event { names.insert(name) }
        for rule in exit?.on ?? [] { names.insert(rule.event) }
        if let goal { names.insert(goal.event) }
        names.formUnion(happenedEvents)
        for step in steps {
            if let wait = step.waitForEvent { names.formUnion(wait.events) }
        }
        return names
    }

    /// The event names branch conditions and `waitForEvent` filters test with `happened`.
    public var happenedEvents: Set<String> {
        var names: Set<String> = []
        for step in steps {
            for arm in step.branch?.cases ?? [] { names.formUnion(arm.when.happenedEvents) }
            for path in step.waitForEvent?.choices ?? [] { names.formUnion(path.filter?.happenedEvents ?? []) }
        }
        return names
    }
}
