import Foundation
import HeraldCore

/// One evaluation in progress: the state being changed and the effects produced so far.
struct EngineRun {
    var state: UserJourneyState
    let now: Date
    let catalog: JourneyCatalog
    /// The profile after the input, and after every `updateProfile` step run so far.
    var profile: [String: JSONValue]
    /// The user's list memberships, with every `updateLists` step run so far.
    var lists: Set<String>
    /// The journeys whose steps are running inside `startJourney` steps, outermost first (cycle guard).
    var startChain: [String] = []
    var effects: [JourneyEffect] = []
    /// Entry-throttle slots reserved for this input, by instance id (`JourneyEngine.evaluate(…entrySlots:)`).
    var entrySlots: [String: Date] = [:]
    /// Throttled entries that found no slot in `entrySlots`: the evaluator reserves them and evaluates again.
    var slotRequests: [EntrySlotRequest] = []

    /// Guards against `next` cycles without a wait.
    static let maximumStepsPerRun = 100
    /// How late a timer may be before the past-due policy applies, when the journey does not say.
    static let defaultPastDueAfter: TimeInterval = 15 * 60

    init(state: UserJourneyState, now: Date, catalog: JourneyCatalog, profile: [String: JSONValue], lists: Set<String> = []) {
        self.state = state
        self.now = now
        self.catalog = catalog
        self.profile = profile
        self.lists = lists
    }

    var userId: String { state.userId }

    mutating func trail(
        _ journey: String, _ version: Int, instance: String? = nil, step: String? = nil, _ kind: TrailKind, _ message: String
    ) {
        effects.append(.trail(TrailEntry(
            userId: userId, at: now, journey: journey, version: version, instanceId: instance, step: step, kind: kind,
            message: message)))
    }

    mutating func stat(_ journey: String, _ step: String?, _ counter: StatCounter, _ delta: Double = 1) {
        effects.append(.stat(journey: journey, step: step, counter: counter, delta: delta))
    }

    func scope(for instance: JourneyInstance) -> ConditionScope {
        conditionScope(event: instance.trigger.value, latest: instance.latest?.value, vars: instance.variables, seen: Set(instance.seen))
    }

    func index(of instanceId: String) -> Int? {
        state.instances.firstIndex { $0.id == instanceId }
    }

    /// Whether `incoming` carries the same values as `trigger` at every path (event-relative, e.g. `properties.cart_id`).
    static func sameValues(at paths: [String]?, incoming: JSONValue, trigger: JSONValue) -> Bool {
        for path in paths ?? [] {
            guard let left = incoming.value(atPath: path), let right = trigger.value(atPath: path), !left.isNull,
                JourneyCondition.equal(left, right)
            else { return false }
        }
        return true
    }

    static func formatted(_ date: Date) -> String { ISO8601.format(date) }

    mutating func prune() {
        pruneActivity()
        state.watches.removeAll { $0.until < now }
        if state.watches.count > UserJourneyState.maximumWatches {
            state.watches.removeFirst(state.watches.count - UserJourneyState.maximumWatches)
        }
        for instance in state.instances where catalog.journey(id: instance.journey, version: instance.version) == nil {
            guard let index = index(of: instance.id) else { continue }
            let removed = state.instances.remove(at: index)
            if let waiting = removed.waiting {
                effects.append(.cancelTimer(id: waiting.timerId))
                // A queued entry never counted as waiting.
                if waiting.kind != .entry { stat(removed.journey, waiting.step, .waiting, -1) }
            }
            trail(
                removed.journey, removed.version, instance: removed.id, step: removed.step, .exited(reason: "journeyRemoved"),
                "Exited: version \(removed.version) of \(removed.journey) is no longer in the catalog")
            stat(removed.journey, removed.step, .exited)
        }
    }
}
