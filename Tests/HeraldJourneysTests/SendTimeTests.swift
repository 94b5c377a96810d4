import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// `bestTime` waits: the hour learned from opens and clicks, the fallback and the bound, the
/// bounded histogram in the stored state, the engine, the validator and the simulator.
@Suite struct SendTimeTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// `hour`:`minute` local in `zone` on the day `daysAhead` after today's (from the clock).
    static func local(_ hour: Int, _ minute: Int = 0, daysAhead: Int = 0, zone: TimeZone = berlin) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.dateComponents([.year, .month, .day], from: Date())
        let day = calendar.date(byAdding: .day, value: daysAhead, to: calendar.date(from: today)!)!
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute))!
    }

    static func histogram(_ counts: [Int: Int], zone: String = "Europe/Berlin") -> EngagementHours {
        var hours = Array(repeating: 0, count: 24)
        for (hour, count) in counts { hours[hour] = count }
        return EngagementHours(zone: zone, counts: hours)!
    }

    static func wait(_ json: String) throws -> BestTimeWait {
        try JSONDecoder().decode(BestTimeWait.self, from: Data(json.utf8))
    }

    @Test func theMostFrequentHourWinsAndTheFallbackServesTooLittleHistory() throws {
        let now = Self.local(7, 30)
        let wait = try Self.wait(#"{"within": "24h", "fallback": "10:00", "minimumEngagements": 3}"#)
        let learned = SendTimeChoice.choose(wait, histogram: Self.histogram([19: 5, 8: 2]), zone: Self.berlin, now: now)
        #expect(learned.basis == .learned && learned.time.description == "19:00" && learned.due == Self.local(19) && learned.engagements == 7)
        let few = SendTimeChoice.choose(wait, histogram: Self.histogram([19: 2]), zone: Self.berlin, now: now)
        #expect(few.basis == .tooLittleHistory && few.due == Self.local(10) && few.time.description == "10:00" && few.engagements == 2)
        let none = SendTimeChoice.choose(wait, histogram: nil, zone: Self.berlin, now: Self.local(11))
        #expect(none.basis == .tooLittleHistory && none.due == Self.local(10, daysAhead: 1), "10:00 has passed today: tomorrow's")
    }

    @Test func theBoundLimitsTheHoursConsidered() throws {
        let now = Self.local(7, 30)
        // 19:00 is 11.5 hours away: within 6h the user's 08:00 habit is the best that comes.
        let near = SendTimeChoice.choose(try Self.wait(#"{"within": "6h"}"#), histogram: Self.histogram([19: 5, 8: 2]), zone: Self.berlin, now: now)
        #expect(near.basis == .learned && near.due == Self.local(8))
        // No engaged hour within 6h: the fallback, which 10:00 is.
        let far = SendTimeChoice.choose(try Self.wait(#"{"within": "6h"}"#), histogram: Self.histogram([19: 5]), zone: Self.berlin, now: now)
        #expect(far.basis == .noHourWithinBound && far.due == Self.local(10))
        // A fallback beyond the bound is cut to the bound.
        let cut = SendTimeChoice.choose(try Self.wait(#"{"within": "1h", "fallback": "10:00"}"#), histogram: nil, zone: Self.berlin, now: now)
        #expect(cut.due == now.addingTimeInterval(3600))
    }

    @Test func insideTheBestHourItSendsNowAndATieGoesToTheSoonest() throws {
        let wait = BestTimeWait()
        let inside = SendTimeChoice.choose(wait, histogram: Self.histogram([19: 5]), zone: Self.berlin, now: Self.local(19, 20))
        #expect(inside.due == Self.local(19, 20))
        let tie = SendTimeChoice.choose(wait, histogram: Self.histogram([9: 3, 21: 3]), zone: Self.berlin, now: Self.local(12))
        #expect(tie.due == Self.local(21))
        // The histogram's hours are read in its own zone, whatever the journey's zone.
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let elsewhere = SendTimeChoice.choose(wait, histogram: Self.histogram([19: 5]), zone: tokyo, now: Self.local(7))
        #expect(elsewhere.due == Self.local(19) && elsewhere.zone == "Europe/Berlin")
    }

    @Test func theHistogramStaysBoundedAndStartsAgainInANewZone() {
        var hours = EngagementHours(zone: "UTC")
        for index in 0..<1000 { hours.record(hour: index % 3 == 0 ? 20 : 6) }
        #expect(hours.total <= EngagementHours.cap)
        #expect(hours.counts[20] > 0 && hours.counts[6] > hours.counts[20], "halving keeps the proportions")
        hours.record(hour: 24)
        #expect(hours.counts.count == 24)
        let moved = hours.recording(Self.local(9), in: Self.berlin)
        #expect(moved.zone == "Europe/Berlin" && moved.total == 1 && moved.counts[9] == 1)
        #expect(EngagementHours(zone: "UTC", counts: [1, 2]) == nil && EngagementHours(zone: "UTC", counts: Array(repeating: -1, count: 24)) == nil)
    }

    @Test func theHistogramIsStoredCompactlyAndOlderBlobsStillRead() throws {
        var state = UserJourneyState(userId: "u")
        #expect(state.isEmpty)
        state.engagement = Self.histogram([19: 5, 8: 2])
        #expect(!state.isEmpty)
        let bytes = state.encoded()
        #expect(try UserJourneyState(decoding: bytes, userId: "u") == state)
        let document = try CompactJSON.decode(bytes.dropFirst())
        #expect(document["eh"] == .array(["Europe/Berlin", 8, 2, 19, 5]), "zone, then hour and count pairs")
        #expect(try UserJourneyState(decoding: Array(#"{"userId":"u"}"#.utf8), userId: "u").engagement == nil)
        // A histogram that cannot be read fails the whole state closed.
        var bad = UserJourneyState(userId: "u").compactJSON(user: "u")
        if case .object(var members) = bad { members["eh"] = .array(["UTC", 30, 1]); bad = .object(members) }
        var blob: [UInt8] = [UserJourneyState.compactFormTag]
        CompactJSON.write(bad, into: &blob)
        #expect(throws: UserJourneyStateError.self) { _ = try UserJourneyState(decoding: blob, userId: "u") }
    }

    static let journey = """
        {"id": "digest", "trigger": {"behaviour": {"event": "Digest Ready"}}, "entry": {"reentry": "always"},
         "defaults": {"timeZone": "America/New_York"},
         "steps": [
           {"id": "best", "wait": {"bestTime": {"within": "24h", "fallback": "10:00", "minimumEngagements": 3}}},
           {"id": "send", "send": {"channel": "email", "template": "digest"}}
         ]}
        """

    static func opened(_ user: String, at date: Date, _ number: Int) -> Event {
        Event(type: .track, messageId: "open-\(number)", userId: user, event: "Message Opened",
              properties: ["channel": "email", "messageId": .string("k-\(number)")], timestamp: date)
    }

    @Test func opensTeachTheEngineTheHourEvenWithoutALiveJourneyAndTheWaitUsesIt() throws {
        let profile: [String: JSONValue] = ["timezone": "Europe/Berlin"]
        var state = UserJourneyState(userId: "ann")
        // Opens at 19:xx Berlin on three earlier days, one click at 08:10, with no journey published.
        let empty = JourneyCatalog(journeys: [])
        for (number, date) in [Self.local(19, 5, daysAhead: -5), Self.local(19, 40, daysAhead: -4), Self.local(19, 1, daysAhead: -3), Self.local(8, 10, daysAhead: -3)].enumerated() {
            let event = number == 3
                ? Event(type: .track, messageId: "click", userId: "ann", event: "Message Clicked", properties: ["channel": "email"], timestamp: date)
                : Self.opened("ann", at: date, number)
            state = JourneyEngine.evaluate(state, input: .event(event, profile: profile), now: date, catalog: empty).state
        }
        #expect(state.engagement?.counts[19] == 3 && state.engagement?.counts[8] == 1 && state.engagement?.zone == "Europe/Berlin")
        let catalog = try Fixture.catalog(Self.journey)
        let now = Self.local(7, 30)
        let result = JourneyEngine.evaluate(
            state, input: .event(Event(type: .track, messageId: "d", userId: "ann", event: "Digest Ready", timestamp: now), profile: profile),
            now: now, catalog: catalog)
        #expect(Fixture.scheduled(result.effects).map(\.dueAt) == [Self.local(19)])
        let chosen = Fixture.trails(result.effects).first { $0.kind.code == "sendTimeChosen" }
        #expect(chosen?.kind == .sendTimeChosen(time: LocalTime("19:00")!, basis: .learned, engagements: 4, zone: "Europe/Berlin"))
        #expect(chosen?.message.contains("learned") == true)
        let record = TrailRecord(try #require(chosen))
        #expect(record.sentence == "Best time 19:00 Europe/Berlin (learned from 4 opens and clicks)")
        #expect(record.json(at: nil)["basis"] == "learned" && record.json(at: nil)["engagements"] == 4)
        // A newcomer gets the journey's 10:00 in the journey's zone (no profile zone): the fallback, said so.
        let newcomer = JourneyEngine.evaluate(
            UserJourneyState(userId: "bob"), input: .event(Event(type: .track, messageId: "d2", userId: "bob", event: "Digest Ready", timestamp: now), profile: [:]),
            now: now, catalog: catalog)
        let newYork = TimeZone(identifier: "America/New_York")!
        let expected = [Self.local(10, daysAhead: -1, zone: newYork), Self.local(10, zone: newYork), Self.local(10, daysAhead: 1, zone: newYork)].first { $0 > now }
        #expect(Fixture.scheduled(newcomer.effects).map(\.dueAt) == [expected!])
        #expect(Fixture.trails(newcomer.effects).contains { $0.kind == .sendTimeChosen(time: LocalTime("10:00")!, basis: .tooLittleHistory, engagements: 0, zone: "America/New_York") })
    }

    @Test func theSimulatorRecordsTheChosenTime() throws {
        let profile = Event(type: .identify, messageId: "i", userId: "ann", traits: ["timezone": "Europe/Berlin"], timestamp: Self.local(6, daysAhead: -6))
        var events = [profile]
        for day in 1...3 { events.append(Self.opened("ann", at: Self.local(19, 10, daysAhead: -day), day)) }
        events.append(Event(type: .track, messageId: "d", userId: "ann", event: "Digest Ready", timestamp: Self.local(7, 30)))
        let simulator = Fixture.simulate(try Fixture.catalog(Self.journey), events, horizon: 3 * 86_400)
        let chosen = SimulatorDecisionsTests.decisions(simulator.records, .sendTime)
        #expect(chosen.count == 1)
        #expect(chosen.first?.details["basis"] == "learned" && chosen.first?.details["time"] == "19:00" && chosen.first?.details["engagements"] == 3)
        #expect(chosen.first?.details["until"] == .string(ISO8601.format(Self.local(19))))
        #expect(Fixture.sendTimes(simulator, template: "digest") == [Self.local(19)])
        #expect(chosen.first.map { SimulationRecord.decision($0).humanLine.contains("best time 19:00 Europe/Berlin (learned, 3 opens and clicks)") } == true)
    }

    @Test func theValidatorChecksTheBoundTheThresholdAndTheMembers() {
        func messages(_ wait: String) -> [String] {
            ValidatorTests.issues(ValidatorTests.steps(#"{"id": "w", "wait": \#(wait)}, {"id": "s", "send": {"channel": "email", "template": "t"}}"#)).map { "\($0.path): \($0.message)" }
        }
        #expect(messages(#"{"bestTime": {}}"#).isEmpty)
        #expect(messages(#"{"bestTime": {"within": "24h", "fallback": "10:00", "minimumEngagements": 3}}"#).isEmpty)
        #expect(messages(#"{"bestTime": {"within": "30m"}}"#).contains { $0.hasPrefix("$.steps[0].wait.bestTime.within:") })
        #expect(messages(#"{"bestTime": {"within": "8d"}}"#).contains { $0.hasPrefix("$.steps[0].wait.bestTime.within:") })
        #expect(messages(#"{"bestTime": {"minimumEngagements": 0}}"#).contains { $0.hasPrefix("$.steps[0].wait.bestTime.minimumEngagements:") })
        #expect(messages(#"{"bestTime": {"fallback": "25:00"}}"#).contains { $0.contains("wait.bestTime.fallback") })
        #expect(messages(#"{"bestTime": {"hour": 9}}"#).contains { $0.hasPrefix("$.steps[0].wait.bestTime.hour: unknown member") })
        #expect(messages(#"{"bestTime": {}, "duration": "1h"}"#).contains { $0.hasPrefix("$.steps[0].wait: set exactly one of") && $0.contains("bestTime") })
    }

    @Test func theSchemaNamesTheWaitAndBestTimeMembersTheValidatorAccepts() throws {
        let schema = try SchemaTests.schema()
        let wait = schema.value(atPath: "$defs.step.properties.wait.properties")?.objectValue?.keys.sorted()
        #expect(wait == JourneyValidator.nestedMembers["wait"]?.sorted())
        let best = schema.value(atPath: "$defs.step.properties.wait.properties.bestTime.properties")?.objectValue?.keys.sorted()
        #expect(best == JourneyValidator.nestedMembers["bestTime"]?.sorted())
    }
}
