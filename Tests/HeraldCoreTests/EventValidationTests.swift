import Foundation
import HeraldCore
import Testing

@Suite struct EventValidationTests {
    func validate(_ text: String) throws(EventRejection) -> Event { try Event.validate(payload: Array(text.utf8)) }

    @Test func acceptsTrackAndIdentifyInTheSegmentShape() throws {
        let track = try validate(#"{"type":"track","messageId":"m1","userId":"u1","event":"Product Added","properties":{"sku":"A"},"timestamp":"2026-11-22T10:00:00Z","context":{"locale":"ja-JP"}}"#)
        #expect(track.type == .track && track.event == "Product Added" && track.properties["sku"] == "A")
        #expect(track.context["locale"] == "ja-JP")
        let identify = try validate(#"{"type":"identify","messageId":"m2","anonymousId":"anon-7","traits":{"email":"a@b.c"},"timestamp":"2026-11-22T10:00:00Z"}"#)
        #expect(identify.userKey == "anon:anon-7")
        #expect(identify.traits["email"] == "a@b.c")
    }

    @Test func acceptsPageScreenGroupAndAliasAndKeepsTheirFieldsThroughJSON() throws {
        let page = try validate(#"{"type":"page","messageId":"p","anonymousId":"a","name":"Pricing","properties":{"url":"/pricing"},"timestamp":"2026-11-22T10:00:00Z"}"#)
        #expect(page.type == .page && page.name == "Pricing" && page.properties["url"] == "/pricing" && page.event == nil)
        let screen = try validate(#"{"type":"screen","messageId":"s","userId":"u","timestamp":"2026-11-22T10:00:00Z"}"#)
        #expect(screen.type == .screen && screen.name == nil)
        let group = try validate(#"{"type":"group","messageId":"g","userId":"u","groupId":"acme","traits":{"plan":"team"},"timestamp":"2026-11-22T10:00:00Z"}"#)
        #expect(group.groupId == "acme" && group.traits["plan"] == "team")
        let alias = try validate(#"{"type":"alias","messageId":"al","userId":"u","previousId":"anon-1","timestamp":"2026-11-22T10:00:00Z"}"#)
        #expect(alias.previousId == "anon-1")
        for event in [page, screen, group, alias] {
            guard case .object(let members) = event.json else { Issue.record("not an object"); continue }
            #expect(try Event.validate(members: members) == event)
        }
    }

    @Test(arguments: [
        ("nope", "not_json"),
        ("[1]", "not_an_object"),
        (#"{"messageId":"m","userId":"u","timestamp":"2026-01-01T00:00:00Z"}"#, "missing_field"),
        (#"{"type":"pageview","messageId":"m","userId":"u","timestamp":"2026-01-01T00:00:00Z"}"#, "unknown_type"),
        (#"{"type":"group","messageId":"m","userId":"u","timestamp":"2026-01-01T00:00:00Z"}"#, "missing_field"),
        (#"{"type":"alias","messageId":"m","userId":"u","timestamp":"2026-01-01T00:00:00Z"}"#, "missing_field"),
        (#"{"type":"track","messageId":"m","event":"E","timestamp":"2026-01-01T00:00:00Z"}"#, "missing_identity"),
        (#"{"type":"track","messageId":"m","userId":"u","timestamp":"2026-01-01T00:00:00Z"}"#, "track_without_event"),
        (#"{"type":"track","messageId":"m","userId":"u","event":"E","timestamp":"01/02/2026"}"#, "bad_timestamp"),
        (#"{"type":"track","messageId":"m","userId":{"id":1},"event":"E","timestamp":"2026-01-01T00:00:00Z"}"#, "invalid_field"),
        (#"{"type":"identify","messageId":"m","userId":"u","traits":"x","timestamp":"2026-01-01T00:00:00Z"}"#, "invalid_field"),
    ])
    func rejectsEachMalformedClassWithItsCode(_ payload: String, _ code: String) {
        do {
            _ = try validate(payload)
            Issue.record("accepted \(payload)")
        } catch {
            #expect(error.code == code, "\(payload): \(error)")
            #expect(!error.description.isEmpty)
        }
    }

    @Test func rejectsPayloadsOverTheSizeLimit() {
        let big = [UInt8](repeating: 32, count: Event.maximumPayloadBytes + 1)
        #expect(throws: EventRejection.tooLarge(bytes: big.count, limit: Event.maximumPayloadBytes)) { try Event.validate(payload: big) }
    }

    @Test func roundTripsThroughItsJSONForm() throws {
        let event = try validate(#"{"type":"track","messageId":"m1","userId":"u1","event":"E","properties":{"n":2},"timestamp":"2026-11-22T10:00:00.500Z"}"#)
        guard case .object(let members) = event.json else { Issue.record("not an object"); return }
        #expect(try Event.validate(members: members) == event)
    }
}

/// Segment's times: an optional `timestamp`, and the producer's clock skew corrected from `sentAt`.
@Suite struct EventTimeTests {
    let received = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)

    func validate(_ members: [String: JSONValue], receivedAt: Date?) throws(EventRejection) -> Event {
        var message: [String: JSONValue] = ["type": "track", "messageId": "m", "userId": "u", "event": "E"]
        message.merge(members) { _, new in new }
        return try Event.validate(members: message, receivedAt: receivedAt)
    }

    @Test func aMessageWithoutTimestampHappenedWhenItWasReceived() throws {
        let event = try validate([:], receivedAt: received)
        #expect(event.timestamp == received)
        #expect(event.receivedAt == received)
        // Without a receive time (a message read back without one) the timestamp is still required.
        #expect(throws: EventRejection.missingField("timestamp")) { try validate([:], receivedAt: nil) }
    }

    @Test func sentAtCorrectsTheProducersClockSkew() throws {
        // The device's clock is 2 hours fast; it recorded the event 5 s before it sent the batch.
        let deviceNow = received.addingTimeInterval(7200)
        let happened = deviceNow.addingTimeInterval(-5)
        let fromOriginal = try validate(
            ["originalTimestamp": .string(ISO8601.format(happened)), "sentAt": .string(ISO8601.format(deviceNow))], receivedAt: received)
        #expect(abs(fromOriginal.timestamp.timeIntervalSince(received.addingTimeInterval(-5))) < 0.001)
        // An SDK that sends the device time as `timestamp` with `sentAt` is corrected the same way.
        let fromTimestamp = try validate(
            ["timestamp": .string(ISO8601.format(happened)), "sentAt": .string(ISO8601.format(deviceNow))], receivedAt: received)
        #expect(fromTimestamp.timestamp == fromOriginal.timestamp)
        // Without `sentAt` nothing is corrected: the producer's `timestamp` is taken as given.
        let given = try validate(["timestamp": .string(ISO8601.format(happened))], receivedAt: received)
        #expect(given.timestamp == happened)
        #expect(try validate(["originalTimestamp": .string(ISO8601.format(happened))], receivedAt: received).timestamp == happened)
    }

    @Test func theCorrectionIsTheEdgesAndValidatingTwiceGivesTheSameEvent() throws {
        // The edge corrected it already and kept its own receive time: the ingestor's later receive
        // time does not move it again.
        let edgeReceived = received.addingTimeInterval(-0.250)
        let device = received.addingTimeInterval(-3600)
        let corrected = edgeReceived.addingTimeInterval(-2)
        let fromEdge = try validate([
            "timestamp": .string(ISO8601.format(corrected)), "originalTimestamp": .string(ISO8601.format(device.addingTimeInterval(-2))),
            "sentAt": .string(ISO8601.format(device)), "receivedAt": .string(ISO8601.format(edgeReceived)),
        ], receivedAt: received)
        #expect(abs(fromEdge.timestamp.timeIntervalSince(corrected)) < 0.001)
        guard case .object(let members) = fromEdge.json else { Issue.record("not an object"); return }
        #expect(try Event.validate(members: members) == fromEdge, "the stored form reads back as the same event")
    }

    @Test func aBadSentAtOrOriginalTimestampIsRejectedWithItsField() {
        for field in ["sentAt", "originalTimestamp"] {
            #expect(throws: EventRejection.invalidField(field, "is not ISO 8601 with an offset")) {
                try validate([field: "yesterday"], receivedAt: received)
            }
        }
        #expect(throws: EventRejection.badTimestamp("soon")) { try validate(["timestamp": "soon"], receivedAt: received) }
    }
}

/// Which identities a message merges into its user (docs/journeys.md, "Identity merge").
@Suite struct EventLinkedIdentityTests {
    func event(_ text: String) throws -> Event {
        try Event.validate(payload: Array(#"{"messageId":"m","timestamp":"2026-01-01T00:00:00Z",\#(text)}"#.utf8))
    }

    @Test func anIdentifyWithBothIdsOrAnAliasLinksIdentitiesAndNothingElseDoes() throws {
        #expect(try event(#""type":"identify","userId":"u","anonymousId":"a""#).linkedIdentities == ["anon:a"])
        #expect(try event(#""type":"alias","userId":"u","previousId":"p""#).linkedIdentities == ["anon:p", "p"])
        #expect(try event(#""type":"alias","userId":"u","previousId":"a","anonymousId":"a""#).linkedIdentities == ["anon:a", "a"])
        #expect(try event(#""type":"alias","userId":"u","previousId":"u""#).linkedIdentities == ["anon:u"], "never the user itself")
        #expect(try event(#""type":"identify","userId":"u""#).linkedIdentities.isEmpty)
        #expect(try event(#""type":"identify","anonymousId":"a""#).linkedIdentities.isEmpty, "an anonymous identify names one identity")
        #expect(try event(#""type":"track","event":"E","userId":"u","anonymousId":"a""#).linkedIdentities.isEmpty, "only identify and alias link")
    }
}
