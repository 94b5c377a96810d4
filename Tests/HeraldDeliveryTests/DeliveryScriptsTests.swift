import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

@testable import HeraldDelivery

/// The Lua scripts against a real redis-server, and their agreement with the pure decisions (the
/// idempotency scripts' step-by-step agreement is `IdempotencyScriptAgreementTests`).
@Suite(.timeLimit(.minutes(1))) struct DeliveryScriptsTests {
    let t0 = Fixtures.wholeSecondNow()

    // Replies read as the sender reads them (RedisSenderStore).
    private func ints(_ reply: RESPValue) -> [Int64] { (reply.array ?? []).compactMap(\.int) }
    private func strings(_ reply: RESPValue) -> [String] { (reply.array ?? []).compactMap(\.string) }

    @Test func capScriptAllowsExactlyTheLimitUnderConcurrentCallers() async throws {
        let server = try RedisServer()
        let redis = server.connection()
        let policy = try FrequencyCapPolicy.parse("email=5/1d")
        let argumentSets = (0..<20).map {
            policy.scriptArguments(channel: .email, category: .marketing, member: "msg-\($0)", now: t0)!
        }
        let replies = try await server.evaluateConcurrently(
            HeraldScripts.frequencyCapCheck, keys: ["herald:{p1}:caps:u1:email"], argumentSets: argumentSets)
        let decisions = replies.map { policy.scriptDecision(channel: .email, reply: ints($0)) }
        #expect(decisions.filter { $0 == .allowed }.count == 5)
        let freeAt = t0.addingTimeInterval(86_400)
        #expect(decisions.filter { $0 == .capped(until: freeAt, cap: policy.caps[0]) }.count == 15)
        #expect(try await redis.send("ZCARD", "herald:{p1}:caps:u1:email").int == 5)
        let ttl = try await redis.send("PTTL", "herald:{p1}:caps:u1:email").int ?? 0
        #expect(ttl > 86_000_000 && ttl <= 86_400_000)
    }

    @Test func capScriptSlidesTheWindowAndAgreesWithThePureDecision() async throws {
        let server = try RedisServer()
        let redis = server.connection()
        let policy = try FrequencyCapPolicy.parse("sms=2/1s")
        let key: RedisKey = "herald:{p2}:caps:u1:sms"
        var recorded: [Date] = []
        // (offset ms, member, expected, free at ms) — a send at t holds its slot until t + 1000 ms.
        let steps: [(Int, String, Bool, Int)] = [
            (0, "a", true, 0), (100, "b", true, 0), (200, "c", false, 1000), (999, "c", false, 1000),
            (1000, "c", true, 0), (1050, "d", false, 1100), (1100, "d", true, 0),
        ]
        for (offset, member, expected, freeAt) in steps {
            let now = t0.addingTimeInterval(Double(offset) / 1000)
            let pure = policy.decide(channel: .sms, category: .marketing, previousSends: recorded, now: now)
            let reply = try await redis.evaluate(HeraldScripts.frequencyCapCheck, keys: [key],
                arguments: policy.scriptArguments(channel: .sms, category: .marketing, member: member, now: now)!)
            let scripted = policy.scriptDecision(channel: .sms, reply: ints(reply))
            let wanted = expected ? FrequencyCapDecision.allowed
                : .capped(until: Fixtures.ms(t0, Int64(freeAt)), cap: policy.caps[0])
            #expect(scripted == wanted, "step at +\(offset)ms member \(member)")
            #expect(pure == wanted, "pure decision at +\(offset)ms")
            if expected { recorded.append(now) }
        }
        // A retry of a recorded member is allowed without taking a second slot, even when full.
        let retry = try await redis.evaluate(HeraldScripts.frequencyCapCheck, keys: [key],
            arguments: policy.scriptArguments(channel: .sms, category: .marketing, member: "d", now: t0.addingTimeInterval(1.15))!)
        #expect(policy.scriptDecision(channel: .sms, reply: ints(retry)) == .allowed)
        #expect(try await redis.send("ZCARD", key.rawValue).int == 2)
    }

    @Test func capScriptReportsTheCapThatFreesLast() async throws {
        let server = try RedisServer()
        let redis = server.connection()
        let policy = try FrequencyCapPolicy.parse("email=1/1h,email=2/1d")
        let key: RedisKey = "herald:{p3}:caps:u1:email"
        let first = try await redis.evaluate(HeraldScripts.frequencyCapCheck, keys: [key],
            arguments: policy.scriptArguments(channel: .email, category: .marketing, member: "m1", now: t0)!)
        #expect(policy.scriptDecision(channel: .email, reply: ints(first)) == .allowed)
        let later = t0.addingTimeInterval(7200)
        _ = try await redis.evaluate(HeraldScripts.frequencyCapCheck, keys: [key],
            arguments: policy.scriptArguments(channel: .email, category: .marketing, member: "m2", now: later)!)
        let third = try await redis.evaluate(HeraldScripts.frequencyCapCheck, keys: [key],
            arguments: policy.scriptArguments(channel: .email, category: .marketing, member: "m3", now: later.addingTimeInterval(60))!)
        let expected = FrequencyCapDecision.capped(until: t0.addingTimeInterval(86_400), cap: policy.caps[1])
        #expect(policy.scriptDecision(channel: .email, reply: ints(third)) == expected)
        #expect(policy.decide(channel: .email, category: .marketing, previousSends: [t0, later], now: later.addingTimeInterval(60)) == expected)
        #expect(try await redis.evaluate(HeraldScripts.frequencyCapRelease, keys: [key], arguments: ["m2"]).int == 1)
        #expect(try await redis.evaluate(HeraldScripts.frequencyCapRelease, keys: [key], arguments: ["m2"]).int == 0)
    }

    @Test func idempotencyClaimIsExclusiveUnderConcurrentCallers() async throws {
        let server = try RedisServer()
        let policy = IdempotencyPolicy(lease: 60)
        let replies = try await server.evaluateConcurrently(
            HeraldScripts.idempotencyClaim, keys: ["herald:{p5}:sent:k"],
            argumentSets: (0..<12).map { policy.claimArguments(consumer: "c\($0)", attempt: 0, category: .transactional, now: t0) })
        let decisions = replies.map { IdempotencyClaimDecision(reply: strings($0)) }
        #expect(decisions.filter { $0 == .claimed }.count == 1)
        #expect(decisions.filter { if case .busy? = $0 { return true } else { return false } }.count == 11)
    }

    @Test func gcraScriptAllowsTheBurstThenReservesSlotsAndHonoursRetryAfter() async throws {
        let server = try RedisServer()
        let redis = server.connection()
        let limiter = RateLimiter(rate: 10, burst: 3)
        let key: RedisKey = "herald:{rl:twilio}:tat"
        var tat: Date?
        func acquire(_ now: Date) async throws -> RateLimitDecision? {
            let pure = limiter.decide(tat: tat, now: now)
            let scripted = RateLimitDecision(reply: ints(try await redis.evaluate(HeraldScripts.rateLimitAcquire, keys: [key], arguments: limiter.acquireArguments(now: now))))
            #expect(scripted == pure, "pure and script agree at \(now.timeIntervalSince(t0))s")
            tat = limiter.advanced(tat: tat, now: now)
            return scripted
        }
        for step in 1...3 { #expect(try await acquire(t0) == .allowed(newTAT: Fixtures.ms(t0, Int64(step) * 100))) }
        // Past the burst each call is given the next free slot, and the slot is its own.
        #expect(try await acquire(t0) == .reserved(slot: Fixtures.ms(t0, 100)))
        #expect(try await acquire(t0.addingTimeInterval(0.05)) == .reserved(slot: Fixtures.ms(t0, 200)))
        #expect(try await redis.send("GET", key.rawValue).string == String(t0.unixMilliseconds * 1000 + 500_000))
        #expect(try await acquire(t0.addingTimeInterval(0.3)) == .allowed(newTAT: Fixtures.ms(t0, 600)))

        // Retry-After 2 s from t0+0.3: nothing before t0+2.3, then one call per interval.
        let penalizedAt = t0.addingTimeInterval(0.3)
        let reply = try await redis.evaluate(HeraldScripts.rateLimitPenalize, keys: [key], arguments: limiter.penalizeArguments(retryAfter: 2, now: penalizedAt))
        tat = limiter.penalize(tat: tat, retryAfter: 2, now: penalizedAt)
        #expect(reply.int == Int64(try #require(tat).timeIntervalSince1970 * 1000))
        #expect(try await acquire(t0.addingTimeInterval(0.4)) == .reserved(slot: Fixtures.ms(t0, 2300)))
        #expect(try await acquire(t0.addingTimeInterval(2.3)) == .reserved(slot: Fixtures.ms(t0, 2400)))
        // A Retry-After that ends before the current TAT never pulls it back.
        let before = try await redis.send("GET", key.rawValue)
        #expect(limiter.penalize(tat: tat, retryAfter: 0.05, now: t0.addingTimeInterval(2.3)) == tat)
        _ = try await redis.evaluate(HeraldScripts.rateLimitPenalize, keys: [key], arguments: limiter.penalizeArguments(retryAfter: 0.05, now: t0.addingTimeInterval(2.3)))
        #expect(try await redis.send("GET", key.rawValue) == before)
    }

    @Test func gcraScriptOnTheServerClockAdmitsExactlyTheBurstAtOnce() async throws {
        let server = try RedisServer()
        let limiter = RateLimiter(rate: 1, burst: 4)
        let replies = try await server.evaluateConcurrently(
            HeraldScripts.rateLimitAcquire, keys: ["herald:{rl:smtp}:tat"],
            argumentSets: Array(repeating: limiter.acquireArguments(now: nil), count: 10))
        let decisions = replies.compactMap { RateLimitDecision(reply: ints($0)) }
        let allowed = decisions.filter { if case .allowed = $0 { true } else { false } }
        // Ten callers within well under a second of each other: the burst of 4, maybe one more if a second passes.
        #expect(allowed.count >= 4 && allowed.count <= 5)
        // Every other caller holds a slot of its own, one second apart.
        let slots = decisions.compactMap { if case .reserved(let slot) = $0 { slot } else { nil } }.sorted()
        #expect(slots.count == 10 - allowed.count)
        #expect(Set(slots).count == slots.count && zip(slots, slots.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 0.999 })
    }
}
