import Foundation
import HeraldCore

/// Replays events against journeys on a virtual clock, with an in-memory timer queue and profiles.
///
/// Time advances to each event's timestamp, firing due timers in order first; after the last event,
/// timers run up to the horizon. Every evaluation round-trips the user's state through its stored
/// encoding, as the evaluator does.
public struct JourneySimulator {
    /// How far past the last event timers still run: 400 days.
    public static let defaultHorizon: TimeInterval = 400 * 86_400

    /// The journeys.
    public let catalog: JourneyCatalog
    /// The stored state blobs by user.
    public private(set) var states: [String: [UInt8]] = [:]
    /// Profiles by user; identify messages merge their traits.
    public private(set) var profiles: [String: [String: JSONValue]] = [:]
    /// Pending timers by id.
    public private(set) var timers: [String: JourneyTimer] = [:]
    /// Every effect produced, in order.
    public private(set) var effects: [JourneyEffect] = []
    /// The records produced so far.
    public private(set) var records: [SimulationRecord] = []
    /// The virtual clock.
    public private(set) var now: Date

    /// A simulator starting at `start`.
    public init(catalog: JourneyCatalog, start: Date = Date(timeIntervalSince1970: 0)) {
        self.catalog = catalog
        now = start
    }

    /// Loads the journeys and the JSONL events, replays them and returns the records in time order.
    public static func run(
        journeysDirectory: URL, eventsFile: URL, horizon: TimeInterval = defaultHorizon
    ) throws(JourneySimulatorError) -> [SimulationRecord] {
        let catalog: JourneyCatalog
        do {
            catalog = try JourneyCatalog.load(directory: journeysDirectory)
        } catch {
            throw .catalog(error)
        }
        let events = try loadEvents(from: eventsFile)
        var simulator = JourneySimulator(catalog: catalog, start: events.map(\.timestamp).min() ?? Date(timeIntervalSince1970: 0))
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

    /// Fires due timers up to `time`, then evaluates the event at its timestamp.
    public mutating func deliver(_ event: Event) {
        advance(to: event.timestamp)
        now = max(now, event.timestamp)
        let user = event.userKey
        var profile = profiles[user] ?? [:]
        if event.type == .identify {
            profile.merge(event.traits) { _, new in new }
            profiles[user] = profile
        }
        evaluate(user: user, input: .event(event, profile: profile))
    }

    /// Fires every timer due at or before `time`, earliest first, moving the clock to each.
    public mutating func advance(to time: Date) {
        while let next = timers.values.min(by: { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }), next.dueAt <= time {
            timers[next.id] = nil
            now = max(now, next.dueAt)
            evaluate(user: next.userId, input: .timer(next, profile: profiles[next.userId] ?? [:]))
        }
        now = max(now, time)
    }

    /// The decoded state of `user`.
    public func state(of user: String) -> UserJourneyState {
        (try? UserJourneyState(decoding: states[user] ?? [], userId: user)) ?? UserJourneyState(userId: user)
    }

    mutating func evaluate(user: String, input: JourneyInput) {
        let result = JourneyEngine.evaluate(state(of: user), input: input, now: now, catalog: catalog)
        states[user] = result.state.encoded()
        for effect in result.effects {
            effects.append(effect)
            switch effect {
            case .scheduleTimer(let timer): timers[timer.id] = timer
            case .cancelTimer(let id): timers[id] = nil
            case .send(let request):
                records.append(.send(
                    at: now, userId: request.userId, journey: request.journey, step: request.step, channel: request.channel,
                    template: request.template))
            case .trail(let entry):
                if case .exited(let reason) = entry.kind {
                    let code = reason.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reason
                    records.append(.exit(at: now, userId: entry.userId, journey: entry.journey, exit: code, reason: reason))
                }
            case .stat: break
            }
        }
    }
}
