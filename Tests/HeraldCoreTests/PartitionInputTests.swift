import Foundation
import HeraldCore
import Testing

/// The partition events stream's wire format, without Redis: what `fields` writes, `init(entry:)`
/// reads back.
@Suite struct PartitionInputTests {
    static let keyspace = Keyspace(prefix: "herald", partitions: 16)

    static func event(_ name: String, user: String = "u-ann") -> Event {
        Event(
            type: .track, messageId: "m-1", userId: user, event: name, properties: ["email": "ann@example.com", "bounceType": "hard"],
            timestamp: Date(timeIntervalSince1970: 1_795_000_000.123), context: ["source": "herald-email-sender"],
            receivedAt: Date(timeIntervalSince1970: 1_795_000_001.5))
    }

    /// A handover snapshot with every family, its state blob binary (the compact form).
    static let snapshot: IdentitySnapshot = {
        var snapshot = IdentitySnapshot(from: "anon:a-1", into: "u-ann", mergeId: "login/anon:a-1")
        snapshot.state = [2, 0, 255, 10, 124]
        snapshot.profile = ["email": Array(#""a@example.com""#.utf8), "plan": Array(#""free""#.utf8)]
        snapshot.suppression = Array(#"{"entries":[]}"#.utf8)
        snapshot.inbox = (1...12).map { Array(#"{"id":"in-\#($0)"}"#.utf8) }
        snapshot.unread = 3
        snapshot.trail = (1...3).map { Array("179500000000\($0)\nE|cart|1|-ab|wait".utf8) }
        snapshot.activity = 1_795_000_000_000
        snapshot.caps = [.email: ["cart-ab/email/0": 1_795_000_000_000, "x:y/z/1": 1_795_000_000_001], .sms: ["k": 1]]
        snapshot.capTimeToLive = [.email: 86_400_000, .sms: 5]
        return snapshot
    }()

    /// The entry Redis would hand back after an XADD of `fields`.
    static func entry(_ input: PartitionInput) -> StreamEntry {
        StreamEntry(stream: keyspace.events(3), id: "1795000000000-0", fields: input.fields.map { ($0.0, $0.1.redisBytes) })
    }

    @Test(arguments: [
        PartitionInput.event(PartitionInputTests.event("Order Completed")),
        .feedback(PartitionInputTests.event("Email Bounced")),
        .timer(id: "t-1", dueAtMilliseconds: 1_795_000_000_000, firedAtMilliseconds: 1_795_000_000_004, payload: ["userId": "u-ann", "journey": "j"]),
        .timer(id: "t-2", dueAtMilliseconds: nil, firedAtMilliseconds: nil, payload: ["userId": "u-bo"]),
        .timer(id: "r|u-di|j|0123abcd|wait", dueAtMilliseconds: 1_795_000_000_000, firedAtMilliseconds: 1_795_000_000_002, payload: nil),
        .refresh(user: "u-cy"),
        .handover(user: "anon:a-1", into: "u-ann", mergeId: "login/anon:a-1"),
        .merge(PartitionInputTests.snapshot),
    ])
    func everyKindRoundTrips(_ input: PartitionInput) throws {
        let entry = Self.entry(input)
        #expect(entry["kind"] == input.kind.rawValue, "kind is the first field")
        #expect(entry.fields.first?.0 == "kind")
        #expect(try PartitionInput(entry: entry) == input)
    }

    @Test func eventsAndFeedbackCarryTheSameFieldsAsIngestLua() {
        // ingest.lua: XADD events '*' kind event messageId <id> event <json>
        let event = Self.event("Email Bounced")
        #expect(Self.entry(.event(event)).fields.map(\.0) == ["kind", "messageId", "event"])
        #expect(Self.entry(.feedback(event)).fields.map(\.0) == ["kind", "messageId", "event"])
        #expect(Self.entry(.feedback(event))["messageId"] == "m-1")
        // fire-timers.lua: XADD events '*' kind timer timerId <id> dueAt <ms> firedAt <ms> timer <payload>
        let timer = PartitionInput.timer(id: "t", dueAtMilliseconds: 1, firedAtMilliseconds: 2, payload: [:])
        #expect(Self.entry(timer).fields.map(\.0) == ["kind", "timerId", "dueAt", "firedAt", "timer"])
        // … and for a compact member, which describes the timer itself, no `timer` field.
        let compact = PartitionInput.timer(id: "d|u|j", dueAtMilliseconds: 1, firedAtMilliseconds: 2, payload: nil)
        #expect(Self.entry(compact).fields.map(\.0) == ["kind", "timerId", "dueAt", "firedAt"])
    }

    @Test func theFeedbackCommandGoesToTheUsersPartitionStream() {
        let event = Self.event("Push Token Unregistered", user: "u-dee")
        let command = PartitionInput.feedbackCommand(keyspace: Self.keyspace, event: event)
        let stream = Self.keyspace.events(Self.keyspace.partition(ofUser: "u-dee"))
        #expect(command == PartitionInput.feedback(event).command(to: stream))
        #expect(command.name == "XADD")
        #expect(command.arguments[1] == stream.redisBytes && command.arguments[2] == Array("*".utf8))
        #expect(command.arguments[3...5].map { String(decoding: $0, as: UTF8.self) } == ["kind", "feedback", "messageId"])
    }

    @Test func unusableEntriesSayWhy() {
        func decode(_ fields: [(String, String)]) -> PartitionInputError? {
            do {
                _ = try PartitionInput(entry: StreamEntry(stream: Self.keyspace.events(0), id: "1-0", fields: fields.map { ($0.0, Array($0.1.utf8)) }))
                return nil
            } catch {
                return error
            }
        }
        #expect(decode([("event", "{}")]) == .missingField(kind: nil, field: "kind"))
        #expect(decode([("kind", "bounce")]) == .unknownKind("bounce"))
        #expect(decode([("kind", "feedback")]) == .missingField(kind: .feedback, field: "event"))
        #expect(decode([("kind", "event"), ("event", "[1]")]) == .notAnObject(kind: .event, field: "event"))
        #expect(decode([("kind", "timer"), ("timer", "{}")]) == .missingField(kind: .timer, field: "timerId"))
        #expect(decode([("kind", "refresh"), ("user", "")]) == .missingField(kind: .refresh, field: "user"))
        if case .notJSON(.timer, "timer", _)? = decode([("kind", "timer"), ("timerId", "t"), ("timer", "{nope")]) {} else {
            Issue.record("a timer payload that is not JSON is reported as such")
        }
        if case .invalidEvent(.feedback, .missingIdentity)? = decode([("kind", "feedback"), ("event", #"{"type":"track","messageId":"m","event":"Email Bounced","timestamp":"2026-01-01T00:00:00Z"}"#)]) {} else {
            Issue.record("an event without a user is reported as invalid")
        }
        #expect(decode([("kind", "event")])?.description == "event entry without 'event'")
    }
}
