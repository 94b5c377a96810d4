import Foundation
import HeraldCore
import Testing

@testable import HeraldJourneys

/// The compact trail form: every kind survives a round trip and renders as a sentence.
@Suite struct TrailRecordTests {
    let at = Date(timeIntervalSince1970: 1_795_000_000)

    func entry(_ kind: TrailKind, instance: String? = "cart-1a2b3c", step: String? = "remind") -> TrailEntry {
        TrailEntry(userId: "u-ann", at: at, journey: "cart", version: 3, instanceId: instance, step: step, kind: kind, message: "prose")
    }

    @Test func everyKindRoundTripsAndRendersASentence() {
        let kinds: [TrailKind] = [
            .entered(key: "c-42"), .entered(key: ""), .notEntered(reason: "re-entry is 'never' | odd ~ text 100%"),
            .waitingUntil(at), .waitReset(count: 2), .timerFired(latenessMs: 15), .staleTimer, .branchTaken("done"),
            .splitAssigned("B"), .eventReceived("Order Completed"),
            .sendRequested(channel: .email, template: "cart-reminder", idempotencyKey: "cart-1a2b3c/remind/0"),
            .sendSkipped(template: "cart-reminder"), .pastDue(policy: "skip", latenessMs: 900_001), .exited(reason: "completed"),
            .goalReached(revenue: 89.5, attributedStep: "remind", idempotencyKey: "cart-1a2b3c/remind/0"),
            .goalReached(revenue: 0, attributedStep: nil, idempotencyKey: nil),
        ]
        let records = kinds.map { TrailRecord(entry($0)) }
        let stored = TrailRecord.encodeEntry(records, atMilliseconds: 1_795_000_000_123)
        let read = TrailRecord.decodeEntry(stored)
        #expect(read?.atMilliseconds == 1_795_000_000_123)
        let decoded = read?.records ?? []
        #expect(decoded == records)
        for record in decoded {
            #expect(!record.sentence.isEmpty && !record.sentence.contains("prose"), "\(record.code): \(record.sentence)")
        }
        #expect(decoded[0].sentence == "Entered cart v3 for key 'c-42'")
        #expect(decoded[3].sentence == "Waiting until \(ISO8601.format(at))")
        #expect(decoded[10].sentence == "Requested email 'cart-reminder' (key cart-1a2b3c/remind/0)")
        #expect(decoded[14].sentence == "Converted with revenue 89.5, attributed to step 'remind' (cart-1a2b3c/remind/0)")
        #expect(decoded[10].json(at: at)["idempotencyKey"]?.stringValue == "cart-1a2b3c/remind/0")
        #expect(decoded[4].json(at: at)["resets"]?.numberValue == 2)
    }

    @Test func idsAreStoredOnceAndShort() {
        let line = TrailRecord(entry(.sendRequested(channel: .email, template: "cart-reminder", idempotencyKey: "cart-1a2b3c/remind/0"))).line
        #expect(line == "Q|cart|3|-1a2b3c|remind|email|cart-reminder|~/remind/0")
        // Lines written with the full code (before the one-letter codes) read the same.
        #expect(TrailRecord.decode("sendRequested|cart|3|-1a2b3c|remind|email|cart-reminder|~/remind/0") == TrailRecord.decode(line))
        let foreign = TrailRecord(entry(.exited(reason: "x"), instance: "-odd", step: nil))
        #expect(TrailRecord.decode(foreign.line) == [foreign], "an instance id that does not start with the journey keeps its own form")
        let same = [TrailRecord(entry(.entered(key: ""))), TrailRecord(entry(.exited(reason: "completed"))), foreign, TrailRecord(entry(.staleTimer, instance: nil))]
        let stored = TrailRecord.encodeEntry(same, atMilliseconds: 5)
        #expect(stored == "5\nE|cart|3|-1a2b3c|remind\nX|^^|completed\nX|cart|3|%2Dodd||x\nS|cart|3||remind")
        // A line of the same instance at another step names its step.
        let moved = [TrailRecord(entry(.entered(key: ""))), TrailRecord(entry(.exited(reason: "done"), step: "other")), TrailRecord(entry(.staleTimer, step: nil))]
        let movedStored = TrailRecord.encodeEntry(moved, atMilliseconds: 6)
        #expect(movedStored == "6\nE|cart|3|-1a2b3c|remind\nX|^|other|done\nS|^|")
        #expect(TrailRecord.decodeEntry(movedStored)?.records == moved)
        #expect(TrailRecord.decodeEntry("7\nE|cart|3|-1a2b3c|remind\nX|^|remind|completed")?.records.last == TrailRecord(entry(.exited(reason: "completed"))), "the older ^ form reads")
        #expect(TrailRecord.decodeEntry(stored)?.records == same)
        let profile = TrailRecord(entry(.notEntered(reason: "the profile does not meet the trigger's conditions"), instance: nil, step: nil))
        #expect(profile.line == "N|cart|3|||=profile")
        #expect(TrailRecord.decode(profile.line).first?.sentence == "Not entered: the profile does not meet the trigger's conditions")
        let capped = TrailRecord(entry(.notEntered(reason: "the user already has 3 live instance(s); the cap is 3"), instance: nil, step: nil))
        #expect(capped.line == "N|cart|3|||=cap:3:3")
        #expect(TrailRecord.decode(capped.line) == [capped])
        let most = TrailRecord(entry(.notEntered(reason: "the user has 50 live instances across journeys (the most kept)"), instance: nil, step: nil))
        #expect(most.line == "N|cart|3|||=most:50")
        #expect(TrailRecord.decode(most.line) == [most])
        for reason in ["=cap:1", "=cap:1:2", "the user already has a:b live instance(s); the cap is 3", "=most:x|y"] {
            let odd = TrailRecord(entry(.notEntered(reason: reason), instance: nil, step: nil))
            #expect(TrailRecord.decode(odd.line) == [odd], "\(reason) stays itself")
        }
        let literal = TrailRecord(entry(.notEntered(reason: "=profile"), instance: nil, step: nil))
        #expect(TrailRecord.decode(literal.line) == [literal], "a reason that looks like a code stays itself")
    }

    @Test func olderJSONEntriesKeepTheirSentence() throws {
        let legacy = try JSONValue.parse(Array(#"{"kind":"notEntered","journey":"cart","version":2,"message":"Not entered: the cap is 1","reason":"the cap is 1"}"#.utf8))
        let record = try #require(TrailRecord(legacy: legacy))
        #expect(record.sentence == "Not entered: the cap is 1")
        #expect(record.version == 2 && record.code == "notEntered")
    }
}
