import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite struct FrequencyCapPolicyTests {
    let now = Fixtures.date("2026-11-27T12:00:00Z")

    @Test func parsesTheCompactForm() throws {
        let policy = try FrequencyCapPolicy.parse("email=2/1d,sms=1/7d")
        #expect(policy.caps == [FrequencyCap(channel: .email, limit: 2, window: 86_400), FrequencyCap(channel: .sms, limit: 1, window: 604_800)])
        #expect(policy.caps.map(\.description) == ["email=2/1d", "sms=1/1w"])
        #expect(try FrequencyCapPolicy.parse("").caps.isEmpty)
    }

    @Test func parsesJSONInBothShapes() throws {
        let json = #"{"email": ["2/1d", {"limit": 5, "window": "1w"}], "sms": "1/7d"}"#
        let policy = try FrequencyCapPolicy.parse(config: json)
        #expect(policy.caps(for: .email).map(\.limit) == [2, 5])
        #expect(policy.caps(for: .sms) == [FrequencyCap(channel: .sms, limit: 1, window: 604_800)])
        #expect(try FrequencyCapPolicy.parse(config: " email=2/1d ") == FrequencyCapPolicy.parse("email=2/1d"))
    }

    @Test func rejectsBadConfiguration() {
        #expect(throws: FrequencyCapConfigError.invalidLimit(item: "email=0/1d")) { try FrequencyCapPolicy.parse("email=0/1d") }
        #expect(throws: FrequencyCapConfigError.invalidWindow(item: "email=2/1y")) { try FrequencyCapPolicy.parse("email=2/1y") }
        #expect(throws: FrequencyCapConfigError.unknownChannel("fax")) { try FrequencyCapPolicy.parse("fax=1/1d") }
        #expect(throws: FrequencyCapConfigError.malformedItem("email")) { try FrequencyCapPolicy.parse("email") }
        #expect(throws: FrequencyCapConfigError.self) { try FrequencyCapPolicy.parse(config: "{\"email\": ") }
        #expect(throws: FrequencyCapConfigError.unknownChannel("carrier-pigeon")) { try FrequencyCapPolicy.parse(config: #"{"carrier-pigeon": "1/1d"}"#) }
    }

    @Test func capsOnlyWhenTheWindowIsFull() throws {
        let policy = try FrequencyCapPolicy.parse("email=2/1d")
        let oldest = now.addingTimeInterval(-3600 * 20)
        let newer = now.addingTimeInterval(-3600)
        #expect(policy.decide(channel: .email, category: .marketing, previousSends: [newer], now: now) == .allowed)
        #expect(policy.decide(channel: .email, category: .marketing, previousSends: [newer, oldest], now: now)
            == .capped(until: oldest.addingTimeInterval(86_400), cap: policy.caps[0]))
        // A send exactly one window ago has left it.
        #expect(policy.decide(channel: .email, category: .marketing, previousSends: [newer, now.addingTimeInterval(-86_400)], now: now) == .allowed)
        #expect(policy.decide(channel: .sms, category: .marketing, previousSends: [newer, oldest], now: now) == .allowed)
    }

    @Test func transactionalIsNeverCapped() throws {
        let policy = try FrequencyCapPolicy.parse("email=1/1d")
        #expect(policy.decide(channel: .email, category: .transactional, previousSends: [now, now], now: now) == .allowed)
        #expect(policy.scriptArguments(channel: .email, category: .transactional, member: "k", now: now) == nil)
        #expect(policy.scriptArguments(channel: .sms, category: .marketing, member: "k", now: now) == nil)
    }

    @Test func theLatestFreeingCapWins() throws {
        let policy = try FrequencyCapPolicy.parse("email=1/1h,email=3/1d")
        let sends = [now.addingTimeInterval(-600), now.addingTimeInterval(-7200), now.addingTimeInterval(-80_000)]
        #expect(policy.decide(channel: .email, category: .marketing, previousSends: sends, now: now)
            == .capped(until: now.addingTimeInterval(-80_000 + 86_400), cap: policy.caps[1]))
        #expect(policy.decide(channel: .email, category: .marketing, previousSends: Array(sends.prefix(1)), now: now)
            == .capped(until: now.addingTimeInterval(3000), cap: policy.caps[0]))
    }

    @Test func scriptArgumentsAndReplies() throws {
        let policy = try FrequencyCapPolicy.parse("email=2/1d,email=5/1w")
        let arguments = policy.scriptArguments(channel: .email, category: .marketing, member: "j:i:s", now: now)
        #expect(arguments == [String(Int64(now.timeIntervalSince1970 * 1000)), "j:i:s", "2", "86400000", "5", "604800000"])
        #expect(policy.scriptDecision(channel: .email, reply: [1, 0, 0]) == .allowed)
        #expect(policy.scriptDecision(channel: .email, reply: [0, 1_000, 2]) == .capped(until: Date(timeIntervalSince1970: 1), cap: policy.caps[1]))
        #expect(policy.scriptDecision(channel: .email, reply: [0, 1_000, 3]) == nil)
        #expect(policy.scriptDecision(channel: .email, reply: [1]) == nil)
    }
}
