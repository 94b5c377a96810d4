import Foundation
import HeraldCore
import HeraldTemplates

/// Replays events against journeys on a virtual clock, with an in-memory timer queue and profiles.
///
/// Time advances to each event's timestamp, firing due timers in order first; after the last event,
/// timers run up to the horizon. Every evaluation round-trips the user's state through its stored
/// encoding, as the evaluator does. A fleet that is slow or down can be simulated: `timerLag` handles
/// every timer that much after its due time, and a `downtimes` interval holds every timer and event
/// that falls in it until its end, so the journeys' past-due policies act as they would.
public struct JourneySimulator {
    /// How far past the last event timers still run: 400 days.
    public static let defaultHorizon: TimeInterval = 400 * 86_400

    /// The journeys.
    public let catalog: JourneyCatalog
    /// The stored state blobs by user.
    public private(set) var states: [String: [UInt8]] = [:]
    /// Profiles by user; identify messages merge their traits.
    public private(set) var profiles: [String: [String: JSONValue]] = [:]
    /// List memberships by user (`updateLists` steps).
    public private(set) var lists: [String: Set<String>] = [:]
    /// Pending timers by id.
    public private(set) var timers: [String: JourneyTimer] = [:]
    /// Identities merged into a user (docs/journeys.md, "Identity merge"): their later events are
    /// that user's.
    public private(set) var mergedInto: [String: String] = [:]
    /// Every effect produced, in order.
    public private(set) var effects: [JourneyEffect] = []
    /// The records produced so far.
    public internal(set) var records: [SimulationRecord] = []
    /// The virtual clock.
    public private(set) var now: Date
    /// How long after its due time every timer is handled (0: on time).
    public var timerLag: TimeInterval = 0
    /// Intervals in which the fleet is down: timers and events falling in one are handled at its end.
    public var downtimes: [DateInterval] = []
    /// With templates, each send is also rendered (a `rendered` decision with its context).
    public var templates: TemplateLibrary?
    /// The brand name senders put in the render context (`brand.name`).
    public var brandName = "Herald Shop"
    /// Each throttled journey's entry slots, as the fleet's throttle keys hold them.
    public private(set) var throttles: [String: EntryThrottleLog] = [:]

    /// A simulator starting at `start`.
    public init(catalog: JourneyCatalog, start: Date = Date(timeIntervalSince1970: 0)) {
        self.catalog = catalog
        now = start
    }

    /// Loads the journeys and the JSONL events, replays them and returns the records in time order.
    public static func run(
        journeysDirectory: URL, eventsFile: URL, horizon: TimeInterval = defaultHorizon, timerLag: TimeInterval = 0,
        downtimes: [DateInterval] = [], templates: TemplateLibrary? = nil, brandName: String = "Herald Shop"
    ) throws(JourneySimulatorError) -> [SimulationRecord] {
        let catalog: JourneyCatalog
        do {
            catalog = try JourneyCatalog.load(directory: journeysDirectory)
        } catch {
            throw .catalog(error)
        }
        let events = try loadEvents(from: eventsFile)
        var simulator = JourneySimulator(catalog: catalog, start: events.map(\.timestamp).min() ?? Date(timeIntervalSince1970: 0))
        simulator.timerLag = timerLag
        simulator.downtimes = downtimes
        simulator.templates = templates
        simulator.brandName = brandName
        simulator.replay(events, horizon: horizon)
        return simulator.records
    }

    /// Reads one Segment message per line (blank lines and lines starting with `//` are skipped).
    public static func loadEvents(from url: URL) throws(JourneySimulatorError) -> [Event] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadableEvents(file: url.path, reason: error.localizedDescription)
        }
        var events: [Event] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
            do {
                events.append(try Event.validate(payload: Array(trimmed.utf8)))
            } catch {
                throw .badEvent(file: url.path, line: number + 1, reason: error.description)
            }
        }
        return events
    }

    /// Replays `events` (sorted by timestamp, stably), then runs timers until `horizon` after the last one.
    public mutating func replay(_ events: [Event], horizon: TimeInterval = defaultHorizon) {
        let ordered = events.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
        for (_, event) in ordered { deliver(event) }
        advance(to: (ordered.last?.element.timestamp ?? now).addingTimeInterval(horizon))
    }

    /// Fires due timers up to `time`, then evaluates the event at its timestamp (or, when the
    /// fleet is down then, when it is back).
    public mutating func deliver(_ event: Event) {
        let handled = handlingTime(event.timestamp, lag: 0)
        advance(to: handled)
        now = max(now, handled)
        var event = event
        // A merged identity's events are forwarded to the user, as the fleet does.
        if let target = mergedInto[event.userKey] { event.userId = target }
        let user = event.userKey
        var profile = profiles[user] ?? [:]
        if event.type == .identify {
            profile.merge(event.traits) { _, new in new }
            profiles[user] = profile
        }
        evaluate(user: user, input: .event(event, profile: profile))
        recordFilteredTriggers(event, profile: profile)
        for source in event.linkedIdentities where mergedInto[source] == nil && source != user {
            merge(source, into: user, mergeId: IdentitySnapshot.mergeId(messageId: event.messageId, from: source))
        }
    }

    /// Folds identity `source` into `user` as the fleet's hand-over does: its timers go, its state
    /// is merged (`JourneyEngine.merge`), its profile fills the user's gaps.
    mutating func merge(_ source: String, into user: String, mergeId: String) {
        let absorbed = state(of: source)
        for (id, timer) in timers where timer.userId == source { timers[id] = nil }
        var profile = profiles[user] ?? [:]
        profile.merge(profiles[source] ?? [:]) { mine, _ in mine }
        profiles[user] = profile
        profiles[source] = nil
        states[source] = nil
        mergedInto[source] = user
        let result = JourneyEngine.merge(state(of: user), absorbing: absorbed, mergeId: mergeId, profile: profile, now: now, catalog: catalog)
        apply(result, user: user)
    }

    /// The fleet's trail stays silent when an event matches a behaviour or occurrence trigger's name
    /// but not its `where` (that would be a line per such event); the simulation says so.
    mutating func recordFilteredTriggers(_ event: Event, profile: [String: JSONValue]) {
        let name = EngineRun.journeyName(of: event)
        guard let ids = catalog.triggerIndex[name] else { return }
        let json = event.json
        for id in ids {
            guard let journey = catalog.journey(id: id) else { continue }
            let filter = journey.trigger.behaviour?.filter ?? journey.trigger.milestone?.filter
            guard let filter, !filter.holds(in: ConditionScope(event: json, profile: profile, activity: state(of: event.userKey).activity, now: now)) else { continue }
            records.append(.decision(SimulationDecision(
                kind: .notEntered, at: now, userId: event.userKey, journey: id,
                details: [
                    "version": .number(Double(journey.version)), "because": "conditions",
                    "reason": .string("the event does not meet the trigger's conditions ('\(name)' \(event.messageId))"),
                ])))
        }
    }

    /// Fires every timer handled at or before `time` (its due time plus `timerLag`, moved past any
    /// downtime), earliest first, moving the clock to each.
    public mutating func advance(to time: Date) {
        while let next = timers.values.map({ (at: handlingTime($0.dueAt, lag: timerLag), timer: $0) })
            .min(by: { ($0.at, $0.timer.dueAt, $0.timer.id) < ($1.at, $1.timer.dueAt, $1.timer.id) }), next.at <= time
        {
            timers[next.timer.id] = nil
            now = max(now, next.at)
            evaluate(user: next.timer.userId, input: .timer(next.timer, profile: profiles[next.timer.userId] ?? [:]))
        }
        now = max(now, time)
    }

    /// When the simulated fleet handles something due at `due`: `lag` later, then past the end of
    /// every downtime that time falls in.
    public func handlingTime(_ due: Date, lag: TimeInterval) -> Date {
        var time = due.addingTimeInterval(lag)
        var moved = true
        while moved {
            moved = false
            for down in downtimes where down.start <= time && time < down.end {
                time = down.end
                moved = true
            }
        }
        return time
    }

    /// The decoded state of `user`.
    public func state(of user: String) -> UserJourneyState {
        (try? UserJourneyState(decoding: states[user] ?? [], userId: user)) ?? UserJourneyState(userId: user)
    }

    mutating func evaluate(user: String, input: JourneyInput) {
        var result = JourneyEngine.evaluate(state(of: user), input: input, now: now, catalog: catalog, lists: lists[user] ?? [])
        if !result.slotRequests.isEmpty {
            // As the evaluator does: reserve each throttled entry's slot, then evaluate again with them.
            let slots = EntryThrottleLog.reserve(result.slotRequests, in: &throttles, now: now)
            result = JourneyEngine.evaluate(state(of: user), input: input, now: now, catalog: catalog, lists: lists[user] ?? [], entrySlots: slots)
        }
        apply(result, user: user)
    }

    mutating func apply(_ result: JourneyEvaluation, user: String) {
        states[user] = result.state.encoded()
        for (index, effect) in result.effects.enumerated() {
            effects.append(effect)
            switch effect {
            case .scheduleTimer(let timer): timers[timer.id] = timer
            case .cancelTimer(let id): timers[id] = nil
            // As the evaluator writes them: later inputs see the changed profile and lists.
            case .updateProfile(let update): profiles[user] = update.applied(to: profiles[user] ?? [:])
            case .updateLists(let update): lists[user] = update.applied(to: lists[user] ?? [])
            default: break
            }
            record(result.effects, at: index)
        }
    }
}
