import Foundation
import HeraldCore
import Testing

@testable import HeraldJourneys

/// The stored journey state's compact form (version 2), the older JSON form still read, and the
/// compact timer member.
@Suite struct CompactStateTests {
    @Test(arguments: [
        JSONValue.null, .bool(true), .bool(false), .number(0), .number(-0.0), .number(-17), .number(89.5), .number(0.1),
        .number(1e300), .number(-2.5e-9), .number(9_007_199_254_740_994), .number(1_796_165_114_029), .string(""), .string("é ✓"),
        .string("2026-12-01T22:45:13.390Z"), .string("2026-12-01T22:45:13Z"), .string("2026-12-01T22:45:13.390+01:00"),
        .string("track"), .array([]), .object([:]),
        .object([
            "type": "track", "messageId": "m-1", "a-long-name-\(String(repeating: "x", count: 200))": .number(1),
            "items": .array([.object(["name": "Kettle", "price": .number(49.5)]), .object(["name": "Kettle", "price": .number(20)])]),
            "again": "Kettle", "cart_id": "c-1", "cartId": "c-1",
        ]),
        .array([
            .number(1_796_165_114_029), "2026-12-01T22:45:13.390Z", .number(-9_000_000_000_000), .number(1_796_165_114_030),
            "2026-12-01T22:45:13.365Z", .number(9_007_199_254_740_000), .number(-9_007_199_254_740_000), "1970-01-01T00:00:00.000Z",
        ]),
    ])
    func compactJSONGivesBackTheSameDocument(_ value: JSONValue) throws {
        let bytes = CompactJSON.encode(value)
        let decoded = try CompactJSON.decode(bytes)
        #expect(decoded == value)
        if case .number(let number) = value, case .number(let back) = decoded {
            #expect(number.bitPattern == back.bitPattern, "the same double, bit for bit")
        }
    }

    @Test func compactJSONIsSmallerThanJSONText() throws {
        let event: JSONValue = try JSONValue.parse(Array(#"{"context":{"locale":"en-US"},"event":"Cart Updated","messageId":"m-286","properties":{"cart_id":"c-286","item_count":2,"items":[{"name":"Kettle","price":49.5,"quantity":1},{"name":"Mug","price":20,"quantity":2}],"total":89.5},"receivedAt":"2026-12-01T22:45:13.390Z","timestamp":"2026-12-01T22:45:13.365Z","type":"track","userId":"u-286"}"#.utf8))
        let text = event.serialized().utf8.count
        let compact = CompactJSON.encode(event).count
        #expect(compact * 2 < text, "\(compact) bytes compact, \(text) as JSON text")
    }

    @Test func bytesThatAreNotOneDocumentAreRefused() {
        for bytes: [UInt8] in [[], [0x05, 0x09, 0x41], [0x0C], [0x08, 0x01], [0x00, 0x00], [0x0A, 0x00], [0x08, 0xFF, 0x7F]] {
            #expect(throws: CompactJSONError.self, "\(bytes)") { _ = try CompactJSON.decode(bytes) }
        }
    }

    func waitingState() throws -> UserJourneyState {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let event = Fixture.track("u|1", "Cart Updated", ["cart_id": "A", "total": .number(12.5)], at: "2026-01-01T10:00:00Z")
        let result = JourneyEngine.evaluate(UserJourneyState(userId: "u|1"), input: .event(event, profile: [:]), now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
        #expect(result.state.instances.first?.waiting != nil)
        return result.state
    }

    @Test func theStateIsStoredCompactlyAndReadBack() throws {
        let state = try waitingState()
        let bytes = state.encoded()
        #expect(bytes.first == UserJourneyState.compactFormTag)
        #expect(try UserJourneyState(decoding: bytes, userId: "u|1") == state)
        let text = state.json.serialized().utf8.count
        #expect(bytes.count * 2 < text, "\(bytes.count) bytes stored, \(text) as JSON text")
        // The user, the waiting timer's id and the instance id's journey prefix are not stored.
        let document = try CompactJSON.decode(bytes.dropFirst())
        #expect(document["userId"] == nil)
        #expect(document["instances"]?.arrayValue?.first?["waiting"]?["timerId"] == nil)
        #expect(document["instances"]?.arrayValue?.first?["trigger"]?["userId"] == nil)
        #expect(document["instances"]?.arrayValue?.first?["id"] == nil)
    }

    @Test func theOlderJSONFormStillReads() throws {
        let state = try waitingState()
        let older = Array(state.json.serialized().utf8)
        #expect(older.first == UInt8(ascii: "{"))
        #expect(try UserJourneyState(decoding: older, userId: "u|1") == state)
        // Read in the older form, written back in the compact one, read again: the same state.
        #expect(try UserJourneyState(decoding: UserJourneyState(decoding: older, userId: "u|1").encoded(), userId: "u|1") == state)
    }

    @Test func anEventWithoutAUserIdStaysWithout() throws {
        var state = try waitingState()
        guard case .object(var trigger) = state.instances[0].trigger.value else { Issue.record("no trigger"); return }
        trigger["userId"] = nil
        trigger["anonymousId"] = "a-1"
        state.instances[0].trigger = StoredJSON(.object(trigger))
        state.instances[0].waiting?.timerId = "an older id"
        let read = try UserJourneyState(decoding: state.encoded(), userId: "u|1")
        #expect(read == state)
        #expect(read.instances[0].trigger.value["userId"] == nil)
        #expect(read.instances[0].waiting?.timerId == "an older id")
    }

    @Test func membersLeftOutAtTheirDefaultComeBackAsStoredOtherwise() throws {
        var state = try waitingState()
        let defaults = try CompactJSON.decode(state.encoded().dropFirst())["instances"]?.arrayValue?.first
        #expect(defaults?["version"] == nil && defaults?["waiting"]?["step"] == nil && defaults?["waiting"]?["kind"] == nil)
        state.instances[0].version = 7
        state.instances[0].waiting?.kind = .timeout
        state.instances[0].waiting?.step = "elsewhere"
        state.instances[0].resets = 2
        state.instances[0].converted = true
        state.instances[0].seen = ["Page Viewed"]
        #expect(try UserJourneyState(decoding: state.encoded(), userId: "u|1") == state)
    }

    @Test func unreadableCompactStateFailsClosed() throws {
        var bytes = try waitingState().encoded()
        bytes.removeLast(5)
        #expect {
            _ = try UserJourneyState(decoding: bytes, userId: "u|1")
        } throws: { error in
            if case .notCompact = error as? UserJourneyStateError { return true }
            return false
        }
        #expect(throws: UserJourneyStateError.self) { _ = try UserJourneyState(decoding: [UserJourneyState.compactFormTag, 0x05], userId: "u") }
        #expect(throws: UserJourneyStateError.self) { _ = try UserJourneyState(decoding: [0x03, 0x02], userId: "u") }
    }

    @Test func aCompactTimerMemberDescribesItsTimer() throws {
        let resume = JourneyTimer.instanceTimerId(user: "a|b%c", journey: "cart", instanceId: "cart-1f2e", step: "wait|1", kind: .resume)
        #expect(resume == "r|a%7Cb%25c|cart|1f2e|wait%7C1")
        let timer = try #require(JourneyTimer(member: resume, dueAtMilliseconds: 1_795_000_000_123))
        #expect(timer.userId == "a|b%c" && timer.journey == "cart" && timer.instanceId == "cart-1f2e" && timer.step == "wait|1")
        #expect(timer.kind == .resume && timer.dueAt == Date(timeIntervalSince1970: 1_795_000_000.123) && timer.version == 0)
        #expect(timer.isDescribedByMember)
        let date = JourneyTimer.triggerTimerId(user: "u-1", journey: "birthday", kind: .date)
        #expect(date == "d|u-1|birthday")
        #expect(JourneyTimer(member: date, dueAtMilliseconds: 0)?.kind == .date)
        #expect(JourneyTimer(member: date, dueAtMilliseconds: 0)?.instanceId == nil)
        // Not compact members: an older id, a deferred send, a mangled one.
        for member in ["u-1|cart-1f2e|wait|resume", "send|k|0|1", "r|u|cart", "x|u|cart", "r|u%zz|cart|1f|s", "d||cart"] {
            #expect(JourneyTimer(member: member, dueAtMilliseconds: 0) == nil, "\(member)")
        }
        // An instance id that is not `<journey>-<hash>` keeps the older form (and a payload).
        let odd = JourneyTimer.instanceTimerId(user: "u", journey: "cart", instanceId: "other", step: "s", kind: .timeout)
        #expect(odd == "u|other|s|timeout")
        #expect(!JourneyTimer(id: odd, userId: "u", journey: "cart", version: 1, instanceId: "other", step: "s", kind: .timeout, dueAt: Date()).isDescribedByMember)
    }

    @Test func aTimerFromItsMemberResumesTheInstance() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let state = try waitingState()
        let waiting = try #require(state.instances[0].waiting)
        let dueMs = Int64((waiting.dueAt.timeIntervalSince1970 * 1000).rounded())
        let timer = try #require(JourneyTimer(member: waiting.timerId, dueAtMilliseconds: dueMs))
        let resumed = JourneyEngine.evaluate(state, input: .timer(timer, profile: [:]), now: waiting.dueAt, catalog: catalog)
        #expect(!Fixture.sends(resumed.effects).isEmpty, "the wait ends and the reminder is requested")
        // A stale one (another due time) is ignored and its trail line names the journey's version.
        let stale = try #require(JourneyTimer(member: waiting.timerId, dueAtMilliseconds: dueMs + 5))
        let ignored = JourneyEngine.evaluate(state, input: .timer(stale, profile: [:]), now: waiting.dueAt, catalog: catalog)
        let trail = ignored.effects.compactMap { effect -> TrailEntry? in if case .trail(let entry) = effect { return entry } else { return nil } }
        #expect(trail.map(\.kind) == [.staleTimer] && trail.first?.version == 1)
        #expect(Fixture.sends(ignored.effects).isEmpty)
    }
}
