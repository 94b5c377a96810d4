import Foundation
import HeraldCore
@testable import HeraldJourneys

/// Builders for events, journeys and simulations under a virtual clock.
enum Fixture {
    static func date(_ text: String) -> Date {
        guard let date = ISO8601.parse(text) else { fatalError("bad test date \(text)") }
        return date
    }

    static func track(_ user: String, _ name: String, _ properties: [String: JSONValue] = [:], at: String, id: String? = nil) -> Event {
        Event(
            type: .track, messageId: id ?? "\(user)-\(name)-\(at)-\(JSONValue.object(properties).serialized())", userId: user,
            event: name, properties: properties, timestamp: date(at))
    }

    static func identify(_ user: String, _ traits: [String: JSONValue], at: String) -> Event {
        Event(type: .identify, messageId: "\(user)-identify-\(at)", userId: user, traits: traits, timestamp: date(at))
    }

    static func journey(_ json: String) throws -> Journey {
        try Journey.decode(Data(json.utf8))
    }

    static func catalog(_ journeys: String...) throws -> JourneyCatalog {
        JourneyCatalog(journeys: try journeys.map { try journey($0) })
    }

    static func simulate(_ catalog: JourneyCatalog, _ events: [Event], horizon: TimeInterval = 400 * 86_400) -> JourneySimulator {
        var simulator = JourneySimulator(catalog: catalog, start: events.map(\.timestamp).min() ?? Date(timeIntervalSince1970: 0))
        simulator.replay(events, horizon: horizon)
        return simulator
    }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func sends(_ effects: [JourneyEffect]) -> [SendRequest] {
        effects.compactMap { if case .send(let request) = $0 { return request } else { return nil } }
    }

    static func trails(_ effects: [JourneyEffect]) -> [TrailEntry] {
        effects.compactMap { if case .trail(let entry) = $0 { return entry } else { return nil } }
    }

    static func scheduled(_ effects: [JourneyEffect]) -> [JourneyTimer] {
        effects.compactMap { if case .scheduleTimer(let timer) = $0 { return timer } else { return nil } }
    }

    static func cancelled(_ effects: [JourneyEffect]) -> [String] {
        effects.compactMap { if case .cancelTimer(let id) = $0 { return id } else { return nil } }
    }

    static func stats(_ effects: [JourneyEffect], _ counter: StatCounter) -> Double {
        effects.reduce(0) { total, effect in
            if case .stat(_, _, let kind, let delta) = effect, kind == counter { return total + delta }
            return total
        }
    }

    static func sendTimes(_ simulator: JourneySimulator, template: String) -> [Date] {
        simulator.records.compactMap {
            if case .send(let at, _, _, _, _, let name) = $0, name == template { return at }
            return nil
        }
    }

    /// A two-step cart journey used by several tests; `extra` is spliced into the top-level object.
    static func cartJourney(entry: String = #""reentry": "afterExit", "concurrencyKey": "properties.cart_id", "maxLiveInstancesPerUser": 3, "maxResets": 2"#, extra: String = "") -> String {
        """
        {"id": "cart", "trigger": {"behaviour": {"event": "Cart Updated"}},
         "entry": {\(entry)},
         "exit": {"on": [{"event": "Order Completed", "match": ["properties.cart_id"]}]},
         "goal": {"event": "Order Completed", "within": "7d", "revenue": "properties.total", "match": ["properties.cart_id"]},
         \(extra)
         "steps": [
           {"id": "wait-30m", "wait": {"duration": "30m"}},
           {"id": "email", "send": {"channel": "email", "template": "cart-reminder"}},
           {"id": "wait-24h", "wait": {"duration": "24h"}},
           {"id": "sms", "send": {"channel": "sms", "template": "cart-reminder-sms"}}
         ]}
        """
    }
}
