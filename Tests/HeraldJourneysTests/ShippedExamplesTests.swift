import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct ShippedExamplesTests {
    static var journeys: URL { Fixture.root.appendingPathComponent("config/journeys") }

    static func run(_ name: String) throws -> [SimulationRecord] {
        try JourneySimulator.run(journeysDirectory: journeys, eventsFile: Fixture.root.appendingPathComponent("examples/events/\(name).jsonl"))
    }

    static func sends(_ records: [SimulationRecord], user: String) -> [String] {
        records.compactMap {
            if case .send(let at, let userId, let journey, _, let channel, let template) = $0, userId == user {
                return "\(ISO8601.format(at)) \(journey) \(channel.rawValue) \(template)"
            }
            return nil
        }
    }

    @Test func everyShippedJourneyValidates() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.journeys.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 11)
        for file in files {
            let data = try Data(contentsOf: Self.journeys.appendingPathComponent(file))
            let issues = JourneyValidator.validate(data: data, file: file)
            #expect(issues.isEmpty, "\(issues)")
        }
        let catalog = try JourneyCatalog.load(directory: Self.journeys)
        #expect(catalog.ids.count == files.count)
    }

    @Test func everyExampleEventFileParses() throws {
        let directory = Fixture.root.appendingPathComponent("examples/events")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }
        #expect(files.count >= 5)
        for file in files {
            let events = try JourneySimulator.loadEvents(from: directory.appendingPathComponent(file))
            #expect(!events.isEmpty)
            #expect(events.allSatisfy { Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: $0.timestamp).year == 2026 })
        }
    }

    @Test func abandonedCartRemindsAfter30MinutesAnd24Hours() throws {
        let records = try Self.run("abandoned-cart")
        #expect(Self.sends(records, user: "u-alice") == [
            "2026-03-02T14:35:00.000Z abandoned-cart email cart-reminder",
            "2026-03-03T14:35:00.000Z abandoned-cart sms cart-reminder-sms",
        ])
        #expect(Self.sends(records, user: "u-bob") == [
            "2026-03-02T09:20:00.000Z order-confirmation email order-confirmation",
            "2026-03-05T09:20:00.000Z review-request email review-request",
            "2026-08-29T09:20:00.000Z reengagement-180d email winback",
            "2026-09-05T09:20:00.000Z reengagement-180d push winback",
        ], "bob ordered within 30 minutes: no reminder; review 3 days later (10:20 in Berlin); winback after 180 quiet days")
        let carol = Self.sends(records, user: "u-carol")
        #expect(carol.filter { $0.contains("abandoned-cart") } == [
            "2026-03-03T10:31:00.000Z abandoned-cart email cart-reminder",
            "2026-03-03T10:50:00.000Z abandoned-cart email cart-reminder",
            "2026-03-04T10:31:00.000Z abandoned-cart sms cart-reminder-sms",
        ], "two carts in flight; the completed one stops before its SMS")
        let exits = records.compactMap { if case .exit(_, "u-carol", "abandoned-cart", let exit, _) = $0 { return exit } else { return nil } }
        #expect(exits == ["exitEvent", "completed"])
    }

    @Test func signupRunsTheWelcomeSeriesOnce() throws {
        let records = try Self.run("signup")
        #expect(Self.sends(records, user: "u-dan").filter { $0.contains("welcome") } == [
            "2026-04-01T16:00:05.000Z welcome-series email welcome",
            "2026-04-03T16:00:05.000Z welcome-series inapp welcome",
        ])
        #expect(Self.sends(records, user: "u-erin").filter { $0.contains("welcome") } == ["2026-04-02T01:00:10.000Z welcome-series email welcome"],
                "erin engaged, so the branch exits before the in-app message")
        #expect(Self.sends(records, user: "u-dan").contains("2026-07-04T16:00:00.000Z birthday email birthday"), "09:00 PDT")
    }

    /// Frank's review waits 3 days to a Sunday in Chicago, then for Monday's 10:00 window.
    @Test func ordersLeadToReviewsAndA180DayWinback() throws {
        let records = try Self.run("orders")
        #expect(Self.sends(records, user: "u-frank") == [
            "2026-01-15T15:30:00.000Z order-confirmation email order-confirmation",
            "2026-01-19T16:00:00.000Z review-request email review-request",
            "2026-07-14T15:30:00.000Z reengagement-180d email winback",
            "2026-07-21T15:30:00.000Z reengagement-180d push winback",
        ])
        let grace = Self.sends(records, user: "u-grace").filter { $0.contains("winback") }
        #expect(grace == ["2026-11-16T03:15:00.000Z reengagement-180d email winback", "2026-11-23T03:15:00.000Z reengagement-180d push winback"],
                "the second order re-armed the inactivity timer")
    }

    @Test func campaignsAndBirthdaysFollowEachUsersZone() throws {
        let records = try Self.run("campaigns")
        #expect(Self.sends(records, user: "u-hana").filter { $0.contains("cyber") } == [
            "2026-11-27T00:00:00.000Z cyber-monday-presale email cyber-monday-presale",
            "2026-11-29T23:00:00.000Z cyber-monday-launch email cyber-monday-launch",
            "2026-11-30T11:00:00.000Z cyber-monday-last-call email cyber-monday-last-call",
        ])
        #expect(Self.sends(records, user: "u-ivan").filter { $0.contains("cyber") }.first == "2026-11-27T14:00:00.000Z cyber-monday-presale email cyber-monday-presale")
        #expect(Self.sends(records, user: "u-jules").filter { $0.contains("cyber") }.isEmpty, "not opted in")
        #expect(Self.sends(records, user: "u-hana").filter { $0.contains("birthday") } == [
            "2026-06-15T00:00:00.000Z birthday email birthday",
        ], "2027-06-15 is past the 400-day horizon")
        #expect(Self.sends(records, user: "u-jules").filter { $0.contains("birthday") }.first == "2027-01-20T08:00:00.000Z birthday email birthday")
    }

    @Test func catalogAlertsMatchTheirProperties() throws {
        let records = try Self.run("catalog-alerts")
        #expect(Self.sends(records, user: "u-kim") == [
            "2026-06-02T00:00:00.000Z price-drop push price-drop",
            "2026-06-03T00:00:00.000Z back-in-stock email back-in-stock",
        ])
    }

    @Test func recordsPrintOneJSONObjectWithExactlyTheirKeys() throws {
        let records = try Self.run("abandoned-cart")
        for record in records {
            let object = try #require(try JSONValue.parse(record.jsonLine).objectValue)
            switch record {
            case .send: #expect(Set(object.keys) == ["record", "at", "userId", "journey", "step", "channel", "template"])
            case .exit: #expect(Set(object.keys) == ["record", "at", "userId", "journey", "exit", "reason"])
            case .decision(let decision):
                #expect(Set(object.keys) == Set(decision.details.keys).union(["record", "at", "userId", "journey"]))
                #expect(object["record"]?.stringValue == decision.kind.rawValue)
            }
            #expect(object["record"]?.stringValue == record.kind)
            #expect(!record.jsonLine.contains("\n"))
            #expect(record.humanLine.contains(record.userId))
        }
        #expect(records.map(\.at) == records.map(\.at).sorted())
    }
}
