import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// Pacing: per-journey and per-step frequency caps (a capped send is skipped, with a trail entry
/// and a stat), the entry throttle (entries beyond it are queued at reserved slots and enter in
/// order, none lost) and the entry schedule (triggers outside it are refused). Times come from the clock.
@Suite struct PacingTests {
    /// Now, in whole seconds (timers keep milliseconds).
    static let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    static func event(_ user: String, _ name: String, _ properties: [String: JSONValue] = [:], after seconds: TimeInterval, id: String? = nil) -> Event {
        Event(
            type: .track, messageId: id ?? "\(user)-\(name)-\(seconds)", userId: user, event: name, properties: properties,
            timestamp: start.addingTimeInterval(seconds))
    }

    static func run(_ journeys: [String], _ events: [Event], horizonDays: Double = 30) throws -> JourneySimulator {
        var simulator = JourneySimulator(catalog: JourneyCatalog(journeys: try journeys.map(Fixture.journey)), start: start)
        simulator.replay(events, horizon: horizonDays * 86_400)
        return simulator
    }

    static func decisions(_ simulator: JourneySimulator, _ kind: SimulationDecisionKind) -> [SimulationDecision] {
        simulator.records.compactMap { if case .decision(let decision) = $0, decision.kind == kind { return decision } else { return nil } }
    }

    // MARK: Frequency caps

    static let promo = """
        {"id": "promo", "trigger": {"behaviour": {"event": "Browsed"}}, "entry": {"reentry": "always", "maxLiveInstancesPerUser": 10},
         "defaults": {"frequencyCap": {"count": 2, "within": "7d"}},
         "steps": [{"id": "offer", "send": {"channel": "email", "template": "offer"}},
                   {"id": "receipt", "send": {"channel": "email", "template": "receipt", "category": "transactional"}}]}
        """

    @Test func aJourneysCapSkipsItsMarketingSendsBeyondTheCountAndFreesAfterTheWindow() throws {
        let day: TimeInterval = 86_400
        let events = [0, 1, 2, 3].map { Self.event("u1", "Browsed", after: Double($0) * day) } + [Self.event("u1", "Browsed", after: 7.5 * day)]
        let simulator = try Self.run([Self.promo], events)
        let offers = Fixture.sendTimes(simulator, template: "offer")
        // Two in the first 7 days; the fifth trigger, 7.5 days on, finds the first send out of the window.
        #expect(offers == [Self.start, Self.start.addingTimeInterval(day), Self.start.addingTimeInterval(7.5 * day)])
        // Transactional sends are neither capped nor counted by the journey's cap.
        #expect(Fixture.sendTimes(simulator, template: "receipt").count == 5)
        let capped = Self.decisions(simulator, .sendCapped)
        #expect(capped.map(\.at) == [Self.start.addingTimeInterval(2 * day), Self.start.addingTimeInterval(3 * day)])
        #expect(capped.first?.details["cap"] == "journey" && capped.first?.details["step"] == "offer")
        let reason = capped.first?.details["reason"]?.stringValue ?? ""
        #expect(reason.contains("2 per 7d") && reason.contains(ISO8601.format(Self.start.addingTimeInterval(7 * day))), "\(reason)")
        #expect(Fixture.stats(simulator.effects, .capped) == 2)
        let trail = Fixture.trails(simulator.effects).filter { $0.kind.code == "sendCapped" }
        #expect(trail.count == 2 && trail.allSatisfy { $0.step == "offer" })
        // The state keeps at most the cap's count of send times.
        #expect((simulator.state(of: "u1").markers["promo"]?.sends?.count ?? 0) <= 2)
    }

    @Test func aStepsOwnCapAppliesToItsStepWhateverTheCategory() throws {
        let journey = """
            {"id": "alerts", "trigger": {"behaviour": {"event": "Price Dropped"}}, "entry": {"reentry": "always", "maxLiveInstancesPerUser": 10},
             "steps": [{"id": "alert", "send": {"channel": "push", "template": "price-alert", "category": "transactional",
                                                "frequencyCap": {"count": 1, "within": "1d"}}},
                       {"id": "digest", "send": {"channel": "email", "template": "digest"}}]}
            """
        let events = [0, 3600, 7200, 90_000].map { Self.event("u1", "Price Dropped", after: Double($0)) }
        let simulator = try Self.run([journey], events)
        #expect(Fixture.sendTimes(simulator, template: "price-alert") == [Self.start, Self.start.addingTimeInterval(90_000)])
        // The capped step is skipped and the instance goes on to the next step.
        #expect(Fixture.sendTimes(simulator, template: "digest").count == 4)
        let capped = Self.decisions(simulator, .sendCapped)
        #expect(capped.count == 2 && capped.allSatisfy { $0.details["cap"] == "step" })
        #expect(simulator.state(of: "u1").markers["alerts"]?.stepSends?["alert"]?.count == 1)
    }

    @Test func capSendTimesRoundTripTheCompactFormAndOlderBlobsStillRead() throws {
        var state = UserJourneyState(userId: "u1")
        let times = [Self.start, Self.start.addingTimeInterval(60)]
        state.markers["promo"] = JourneyMarker(enteredAt: Self.start, sends: times, stepSends: ["offer": [Self.start]])
        let decoded = try UserJourneyState(decoding: state.encoded(), userId: "u1")
        #expect(decoded == state)
        // A version-1 blob (JSON text) written before pacing has no send times: it reads, uncapped.
        let older = #"{"userId":"u1","markers":{"promo":{"enteredAt":1700000000000}}}"#
        let old = try UserJourneyState(decoding: Array(older.utf8), userId: "u1")
        #expect(old.markers["promo"]?.sends == nil && old.markers["promo"]?.enteredAt != nil)
        // Unreadable send times fail closed.
        let bad = #"{"userId":"u1","markers":{"promo":{"sends":"yesterday"}}}"#
        #expect(throws: UserJourneyStateError.self) { try UserJourneyState(decoding: Array(bad.utf8), userId: "u1") }
    }

    // MARK: Entry throttle

    static func throttled(count: Int, per: String, extra: String = "") -> String {
        """
        {"id": "launch", "trigger": {"behaviour": {"event": "Signed Up"}}, "entry": {"throttle": {"count": \(count), "per": "\(per)"}},
         \(extra)
         "steps": [{"id": "welcome", "send": {"channel": "email", "template": "welcome"}}]}
        """
    }

    @Test func triggersBeyondTheThrottleAreQueuedAndEnterInOrderNoneLost() throws {
        let users = (1...7).map { "u\($0)" }
        let events = users.map { Self.event($0, "Signed Up", after: 0) }
        let simulator = try Self.run([Self.throttled(count: 3, per: "1m")], events)
        let entered = Self.decisions(simulator, .entered)
        #expect(entered.count == 7, "every trigger enters")
        let offsets = entered.map { $0.at.timeIntervalSince(Self.start) }
        #expect(offsets == [0, 0, 0, 60, 60, 60, 120], "\(offsets)")
        // In trigger order: the queue keeps the order the slots were reserved in.
        #expect(entered.map(\.userId) == users)
        let queued = Self.decisions(simulator, .queued)
        #expect(queued.map(\.userId) == Array(users.dropFirst(3)))
        #expect(queued.map { $0.details["until"]?.stringValue } == [60, 60, 60, 120].map { ISO8601.format(Self.start.addingTimeInterval($0)) })
        #expect(Fixture.stats(simulator.effects, .queued) == 4 && Fixture.stats(simulator.effects, .entered) == 7)
        #expect(Fixture.sendTimes(simulator, template: "welcome").count == 7)
        // No window of the throttle's length holds more than its count.
        let times = entered.map(\.at)
        for time in times { #expect(times.filter { $0 >= time && $0 < time.addingTimeInterval(60) }.count <= 3) }
    }

    @Test func theThrottleLogGivesARedeliveredMemberItsOwnSlotAndKeepsOrder() {
        var log = EntryThrottleLog()
        let now: Int64 = 1_000_000
        let slots = (0..<5).map { log.reserve(member: "m\($0)", nowMilliseconds: now, count: 2, windowMilliseconds: 10_000) }
        #expect(slots == [now, now, now + 10_000, now + 10_000, now + 20_000])
        #expect(log.reserve(member: "m3", nowMilliseconds: now + 5, count: 2, windowMilliseconds: 10_000) == now + 10_000)
        // Later capacity follows the queue, never jumps ahead of it.
        #expect(log.reserve(member: "late", nowMilliseconds: now + 12_000, count: 2, windowMilliseconds: 10_000) == now + 20_000)
    }

    @Test func theEngineAsksForASlotQueuesAtItAndEntersWhenItsTimerFires() throws {
        let catalog = JourneyCatalog(journeys: [try Fixture.journey(Self.throttled(count: 1, per: "10s",
            extra: #""exit": {"on": [{"event": "Unsubscribed"}]},"#))])
        let trigger = Self.event("u1", "Signed Up", after: 0, id: "m-1")
        let input = JourneyInput.event(trigger, profile: [:])
        let asked = JourneyEngine.evaluate(UserJourneyState(userId: "u1"), input: input, now: Self.start, catalog: catalog)
        let request = try #require(asked.slotRequests.first)
        #expect(asked.slotRequests.count == 1 && request.count == 1 && request.windowMilliseconds == 10_000)
        #expect(!Fixture.trails(asked.effects).contains { $0.kind.code == "entered" })
        // The same input gives the same member, so a redelivery finds its reservation.
        let again = JourneyEngine.evaluate(UserJourneyState(userId: "u1"), input: input, now: Self.start.addingTimeInterval(1), catalog: catalog)
        #expect(again.slotRequests == asked.slotRequests)
        let slot = Self.start.addingTimeInterval(10)
        let queued = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: input, now: Self.start, catalog: catalog, entrySlots: [request.instanceId: slot])
        #expect(queued.slotRequests.isEmpty && Fixture.sends(queued.effects).isEmpty)
        let timer = try #require(Fixture.scheduled(queued.effects).first)
        #expect(timer.kind == .entry && timer.dueAt == slot && timer.instanceId == request.instanceId)
        #expect(Fixture.trails(queued.effects).map(\.kind) == [.entryQueued(until: slot)])
        let stored = try UserJourneyState(decoding: queued.state.encoded(), userId: "u1")
        #expect(stored == queued.state, "a queued entry survives the compact form")
        // A slot already reached enters at once.
        let now = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: input, now: Self.start, catalog: catalog, entrySlots: [request.instanceId: Self.start])
        #expect(Fixture.sends(now.effects).count == 1)
        // The slot's timer enters the queued instance.
        let fired = JourneyEngine.evaluate(stored, input: .timer(timer, profile: [:]), now: slot, catalog: catalog)
        #expect(Fixture.trails(fired.effects).first?.kind == .entered(key: ""))
        #expect(Fixture.sends(fired.effects).map(\.template) == ["welcome"])
        #expect(fired.state.markers["launch"]?.enteredAt == slot)
        // An exit event while queued drops the entry and cancels its timer; it never enters.
        let exit = JourneyEngine.evaluate(stored, input: .event(Self.event("u1", "Unsubscribed", after: 2), profile: [:]), now: Self.start.addingTimeInterval(2), catalog: catalog)
        #expect(exit.state.instances.isEmpty && Fixture.cancelled(exit.effects) == [timer.id])
        let late = JourneyEngine.evaluate(exit.state, input: .timer(timer, profile: [:]), now: slot, catalog: catalog)
        #expect(Fixture.sends(late.effects).isEmpty && Fixture.trails(late.effects).map(\.kind.code) == ["staleTimer"])
    }

    // MARK: Entry schedule

    static func scheduled(_ schedule: String) -> String {
        """
        {"id": "sale", "trigger": {"behaviour": {"event": "Browsed"}}, "entry": {"reentry": "always", "maxLiveInstancesPerUser": 50, "schedule": \(schedule)},
         "steps": [{"id": "offer", "send": {"channel": "email", "template": "offer"}}]}
        """
    }

    @Test func triggersBeforeTheStartOrAfterTheEndAreRefusedWithTheScheduleAsReason() throws {
        let opens = ISO8601.format(Self.start.addingTimeInterval(3600))
        let closes = ISO8601.format(Self.start.addingTimeInterval(7200))
        let journey = Self.scheduled(#"{"start": "\#(opens)", "end": "\#(closes)"}"#)
        let events = [0, 3599, 3600, 7199, 7200].map { Self.event("u1", "Browsed", after: Double($0)) }
        let simulator = try Self.run([journey], events)
        #expect(Fixture.sendTimes(simulator, template: "offer") == [3600, 7199].map { Self.start.addingTimeInterval($0) })
        let refused = Self.decisions(simulator, .notEntered)
        #expect(refused.count == 3 && refused.allSatisfy { $0.details["because"] == "schedule" })
        #expect(refused.first?.details["reason"]?.stringValue?.contains("it opens at \(opens)") == true, "\(refused)")
        #expect(refused.last?.details["reason"]?.stringValue?.contains("it closed at \(closes)") == true)
    }

    @Test func weekdaysAndHoursAcrossMidnightAreReadInTheSchedulesZone() throws {
        // Every hour for a week: the schedule accepts Fridays 22:00 to Saturday 02:00, Tokyo time.
        let zone = TimeZone(identifier: "Asia/Tokyo")!
        let journey = Self.scheduled(#"{"days": ["fri"], "hours": {"from": "22:00", "to": "02:00"}, "timeZone": "Asia/Tokyo"}"#)
        let events = (0..<168).map { Self.event("u1", "Browsed", after: Double($0) * 3600) }
        let simulator = try Self.run([journey], events)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let expected = events.map(\.timestamp).filter { time in
            let parts = calendar.dateComponents([.weekday, .hour], from: time)
            return (parts.weekday == 6 && parts.hour! >= 22) || (parts.weekday == 7 && parts.hour! < 2)
        }
        #expect(expected.count == 4)
        #expect(Fixture.sendTimes(simulator, template: "offer") == expected)
        #expect(Self.decisions(simulator, .notEntered).count == 164)
    }

    @Test func aDateOnlyEndIncludesItsDayInTheJourneysZone() throws {
        let zone = TimeZone(identifier: "America/New_York")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.dateComponents([.year, .month, .day], from: Self.start)
        let text = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
        let schedule = EntrySchedule(start: text, end: text)
        let midnight = calendar.startOfDay(for: Self.start)
        #expect(schedule.startDate(zone: zone) == midnight)
        #expect(schedule.endDate(zone: zone) == calendar.date(byAdding: .day, value: 1, to: midnight))
        #expect(EntrySchedule.instant(text + "T18:30", zone: zone, endOfDay: true) == midnight.addingTimeInterval(18.5 * 3600))
        #expect(EntrySchedule.instant("2026-13-01", zone: zone, endOfDay: false) == nil)
    }

    // MARK: Format

    @Test func theValidatorNamesEveryPacingProblemWithItsPath() {
        let json = """
            {"id": "j", "trigger": {"behaviour": {"event": "Go"}},
             "entry": {"throttle": {"count": 0, "per": "1m", "burst": 2},
                       "schedule": {"start": "2026-12-24", "end": "2026-12-01", "days": [], "hours": {"from": "09:00", "to": "09:00"}, "timeZone": "Mars/Base", "tz": 1}},
             "defaults": {"frequencyCap": {"count": 500, "within": "7d"}},
             "steps": [{"id": "a", "send": {"channel": "email", "template": "t", "frequencyCap": {"count": 1, "within": "1d", "per": "x"}}}]}
            """
        let issues = JourneyValidator.validate(data: Data(json.utf8), file: "pacing.json")
        let paths = Set(issues.map(\.path))
        for expected in [
            "$.entry.throttle.count", "$.entry.throttle.burst", "$.entry.schedule.end", "$.entry.schedule.days", "$.entry.schedule.hours",
            "$.entry.schedule.timeZone", "$.entry.schedule.tz", "$.defaults.frequencyCap.count", "$.steps[0].send.frequencyCap.per",
        ] {
            #expect(paths.contains(expected), "\(expected) is missing from \(issues.map(\.description).joined(separator: "\n"))")
        }
        let good = """
            {"id": "j", "trigger": {"behaviour": {"event": "Go"}},
             "entry": {"throttle": {"count": 100, "per": "10s"}, "schedule": {"start": "2026-12-01T09:00", "end": "2026-12-24T18:00:00+01:00", "days": ["mon", "fri"]}},
             "defaults": {"frequencyCap": {"count": 2, "within": "7d"}},
             "steps": [{"id": "a", "send": {"channel": "email", "template": "t", "frequencyCap": {"count": 1, "within": "1d"}}}]}
            """
        #expect(JourneyValidator.validate(data: Data(good.utf8), file: "good.json").isEmpty)
        let bad = #"{"id": "j", "trigger": {"behaviour": {"event": "Go"}}, "entry": {"schedule": {"start": "next week"}}, "steps": [{"id": "a", "exit": {}}]}"#
        #expect(JourneyValidator.validate(data: Data(bad.utf8), file: "bad.json").map(\.path) == ["$.entry.schedule.start"])
    }

    @Test func theSchemaNamesThePacingMembersTheValidatorAccepts() throws {
        let schema = try SchemaTests.schema()
        let entry = schema.value(atPath: "$defs.entry.properties")?.objectValue?.keys.sorted()
        #expect(entry == JourneyValidator.nestedMembers["entry"]?.sorted())
        let throttle = schema.value(atPath: "$defs.entry.properties.throttle.properties")?.objectValue?.keys.sorted()
        #expect(throttle == JourneyValidator.nestedMembers["throttle"]?.sorted())
        let schedule = schema.value(atPath: "$defs.entry.properties.schedule.properties")?.objectValue?.keys.sorted()
        #expect(schedule == JourneyValidator.nestedMembers["schedule"]?.sorted())
        let hours = schema.value(atPath: "$defs.entry.properties.schedule.properties.hours.properties")?.objectValue?.keys.sorted()
        #expect(hours == JourneyValidator.nestedMembers["hours"]?.sorted())
        let cap = schema.value(atPath: "$defs.frequencyCap.properties")?.objectValue?.keys.sorted()
        #expect(cap == JourneyValidator.nestedMembers["frequencyCap"]?.sorted())
        #expect(schema.value(atPath: "$defs.frequencyCap.properties.count.maximum") == .number(Double(JourneyFrequencyCap.maximumCount)))
        #expect(schema.value(atPath: "$defs.entry.properties.throttle.properties.count.maximum") == .number(Double(EntryThrottle.maximumCount)))
        let send = schema.value(atPath: "$defs.step.properties.send.properties")?.objectValue?.keys.sorted()
        #expect(send == JourneyValidator.nestedMembers["send"]?.sorted())
        let defaults = schema.value(atPath: "properties.defaults.properties")?.objectValue?.keys.sorted()
        #expect(defaults == JourneyValidator.nestedMembers["defaults"]?.sorted())
    }

    @Test func thePacingTrailLinesRoundTripTheCompactForm() {
        let slot = Date(timeIntervalSince1970: 1_800_000_000)
        for kind in [TrailKind.sendCapped(template: "offer", cap: "the journey's frequency cap (2 per 7d) is reached; a slot frees at x"), .entryQueued(until: slot)] {
            let record = TrailRecord(TrailEntry(
                userId: "u1", at: slot, journey: "promo", version: 1, instanceId: "promo-abc", step: "offer", kind: kind, message: ""))
            let decoded = TrailRecord.decode(record.line)
            #expect(decoded == [record], "\(record.line)")
            #expect(!record.sentence.hasPrefix(record.code), "\(record.sentence)")
        }
    }

    // MARK: Documentation

    /// The worked examples' events (docs/journeys.md#pacing); the journeys are read from the page.
    static let documentedEvents = """
        {"type":"track","messageId":"v1","userId":"u-ann","event":"Product Viewed","timestamp":"2026-12-07T10:00:00Z"}
        {"type":"track","messageId":"v2","userId":"u-ann","event":"Product Viewed","timestamp":"2026-12-07T12:00:00Z"}
        {"type":"track","messageId":"v3","userId":"u-ann","event":"Product Viewed","timestamp":"2026-12-08T10:00:00Z"}
        {"type":"track","messageId":"s1","userId":"u-1","event":"Signed Up","timestamp":"2026-12-07T10:00:00Z"}
        {"type":"track","messageId":"s2","userId":"u-2","event":"Signed Up","timestamp":"2026-12-07T10:00:00Z"}
        {"type":"track","messageId":"s3","userId":"u-3","event":"Signed Up","timestamp":"2026-12-07T10:00:00Z"}
        {"type":"track","messageId":"s4","userId":"u-4","event":"Signed Up","timestamp":"2026-12-07T10:00:00Z"}
        {"type":"track","messageId":"s5","userId":"u-5","event":"Signed Up","timestamp":"2026-12-07T10:00:00Z"}
        {"type":"track","messageId":"c1","userId":"u-bo","event":"Cart Updated","properties":{"cart_id":"c-1"},"timestamp":"2026-11-30T15:00:00Z"}
        {"type":"track","messageId":"c2","userId":"u-bo","event":"Cart Updated","properties":{"cart_id":"c-2"},"timestamp":"2026-12-05T15:00:00Z"}
        {"type":"track","messageId":"c3","userId":"u-bo","event":"Cart Updated","properties":{"cart_id":"c-3"},"timestamp":"2026-12-07T23:30:00Z"}
        {"type":"track","messageId":"c4","userId":"u-bo","event":"Cart Updated","properties":{"cart_id":"c-4"},"timestamp":"2026-12-08T15:00:00Z"}
        """

    @Test func theWorkedExamplesInTheJourneysDocumentationAreWhatTheSimulatorPrints() throws {
        let page = try String(contentsOf: Fixture.root.appendingPathComponent("docs/journeys.md"), encoding: .utf8)
        let start = try #require(page.range(of: "## Pacing"))
        let end = try #require(page.range(of: "## Steps", range: start.upperBound..<page.endIndex))
        let section = String(page[start.upperBound..<end.lowerBound])
        let blocks = section.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let journeys = try blocks.filter { $0.hasPrefix("json\n{\"id\"") }.map { try Fixture.journey(String($0.dropFirst(5))) }
        #expect(journeys.map(\.id) == ["weekly-deals", "launch", "holiday-sale"])
        let events = try Self.documentedEvents.split(separator: "\n").map { try Event.validate(payload: Array($0.trimmingCharacters(in: .whitespaces).utf8)) }
        var simulator = JourneySimulator(catalog: JourneyCatalog(journeys: journeys), start: events.map(\.timestamp).min()!)
        simulator.replay(events, horizon: 2 * 86_400)
        let printed = Set(simulator.records.map(\.humanLine) + simulator.records.map(\.jsonLine))
        let shown = section.split(separator: "\n").map(String.init).filter { $0.hasPrefix("2026-") || $0.hasPrefix("{\"at\"") }
        #expect(shown.count == 26, "\(shown.count) example lines")
        for line in shown {
            let printedToo = printed.contains(line)
            #expect(printedToo, "docs/journeys.md shows a line the simulator does not print: \(line)")
        }
    }
}
