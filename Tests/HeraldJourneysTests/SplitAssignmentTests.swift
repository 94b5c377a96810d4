import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// A split group (a holdout above all) belongs to the user, not to one entry or one version.
@Suite struct SplitAssignmentTests {
    static func journey(version: Int, assignment: String? = nil) -> String {
        let option = assignment.map { #", "assignment": "\#($0)""# } ?? ""
        return """
            {"id": "promo", "version": \(version), "trigger": {"behaviour": {"event": "Go"}}, "entry": {"reentry": "afterExit"},
             "steps": [
               {"id": "ab", "split": {"groups": [
                 {"name": "holdout", "percent": 20, "holdout": true},
                 {"name": "email", "percent": 50, "next": "email"},
                 {"name": "sms", "percent": 30, "next": "sms"}]\(option)}},
               {"id": "email", "send": {"channel": "email", "template": "promo-v\(version)"}, "next": "end"},
               {"id": "sms", "send": {"channel": "sms", "template": "promo-v\(version)"}, "next": "end"},
               {"id": "end", "exit": {}}
             ]}
            """
    }

    /// Each of `users` enters three times on version 1, then three times after version 2 is
    /// published; returns every group each user was assigned, in order.
    static func groups(users: Int, assignment: String? = nil) throws -> [String: [String]] {
        let v1 = try Fixture.journey(journey(version: 1, assignment: assignment))
        let v2 = try Fixture.journey(journey(version: 2, assignment: assignment))
        let catalogs = [JourneyCatalog(journeys: [v1]), JourneyCatalog(journeys: [v1, v2])]
        var assigned: [String: [String]] = [:]
        let start = Date()
        for user in (0..<users).map({ "user-\($0)" }) {
            var state = UserJourneyState(userId: user)
            for entry in 0..<6 {
                let at = start.addingTimeInterval(TimeInterval(entry) * 3600)
                let event = Event(type: .track, messageId: "\(user)-\(entry)", userId: user, event: "Go", timestamp: at)
                let result = JourneyEngine.evaluate(state, input: .event(event, profile: [:]), now: at, catalog: catalogs[entry / 3])
                state = result.state
                let trails = Fixture.trails(result.effects)
                #expect(trails.contains { $0.kind.code == "entered" && $0.version == entry / 3 + 1 }, "\(user) entry \(entry) entered v\(entry / 3 + 1)")
                for trail in trails { if case .splitAssigned(let group) = trail.kind { assigned[user, default: []].append(group) } }
            }
        }
        return assigned
    }

    @Test func everyUserKeepsTheirGroupAcrossReentriesAndVersions() throws {
        let assigned = try Self.groups(users: 300)
        #expect(assigned.count == 300)
        for (user, groups) in assigned {
            #expect(groups.count == 6 && Set(groups).count == 1, "\(user): \(groups)")
        }
        // The shares still follow the weights: 300 users, 20/50/30, within 4 standard deviations.
        let counts = Dictionary(grouping: assigned.values.compactMap(\.first)) { $0 }.mapValues(\.count)
        for (group, percent) in [("holdout", 20.0), ("email", 50.0), ("sms", 30.0)] {
            let expected = 300 * percent / 100
            let deviation = (300 * percent / 100 * (1 - percent / 100)).squareRoot()
            #expect(abs(Double(counts[group] ?? 0) - expected) < 4 * deviation, "\(group): \(counts)")
        }
    }

    @Test func aHeldOutUserIsNeverMessagedOnALaterEntry() throws {
        let v1 = try Fixture.journey(Self.journey(version: 1))
        let catalog = JourneyCatalog(journeys: [v1])
        var simulator = JourneySimulator(catalog: catalog, start: Date())
        let start = simulator.now
        let events = (0..<100).flatMap { user in
            (0..<4).map { entry in
                Event(type: .track, messageId: "m-\(user)-\(entry)", userId: "u\(user)", event: "Go", timestamp: start.addingTimeInterval(TimeInterval(entry * 86_400)))
            }
        }
        simulator.replay(events, horizon: 0)
        let held = Set(simulator.records.compactMap { if case .exit(_, let user, _, "holdout", _) = $0 { return user } else { return nil } })
        let messaged = Set(Fixture.sends(simulator.effects).map(\.userId))
        #expect(!held.isEmpty && !messaged.isEmpty)
        #expect(held.isDisjoint(with: messaged), "held out once, held out every time")
    }

    @Test func perEntryAssignmentDrawsAgainOnEachEntry() throws {
        let assigned = try Self.groups(users: 100, assignment: "perEntry")
        let movers = assigned.values.filter { Set($0).count > 1 }.count
        #expect(movers > 30, "perEntry opts out of sticking: \(movers) of 100 users changed group")
    }

    @Test func anUnknownAssignmentIsReportedWithItsPath() {
        let json = Self.journey(version: 1, assignment: "perMood")
        let issues = JourneyValidator.validate(data: Data(json.utf8), file: "promo.json")
        #expect(issues.map(\.path) == ["$.steps[0].split.assignment"], "\(issues)")
    }
}
