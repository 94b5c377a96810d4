import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

/// The Lua scripts against a real redis-server, and their agreement with the pure decisions.
@Suite(.timeLimit(.minutes(1))) struct DeliveryScriptsTests {
    let t0 = Fixtures.date("2026-11-27T09:00:00Z")

    private func ints(_ lines: [String]) -> [Int64] { lines.compactMap { Int64($0) } }

    @Test func capScriptAllowsExactlyTheLimitUnderConcurrentCallers() throws {
        let server = try RedisTestServer.start()
        defer { server.stop() }
        let policy = try FrequencyCapPolicy.parse("email=5/1d")
        let argumentSets = (0..<20).map {
            policy.scriptArguments(channel: .email, category: .marketing, member: "msg-\($0)", now: t0)!
        }
        let replies = try server.concurrentEvals(
            HeraldScripts.frequencyCapCheck.source, keys: ["herald:{p1}:caps:u1:email"], argumentSets: argumentSets)
        let decisions = replies.map { policy.scriptDecision(channel: .email, reply: ints($0)) }
        #expect(decisions.filter { $0 == .allowed }.count == 5)
        let freeAt = t0.addingTimeInterval(86_400)
        #expect(decisions.filter { $0 == .capped(until: freeAt, cap: policy.caps[0]) }.count == 15)
        #expect(try server.command(["ZCARD", "herald:{p1}:caps:u1:email"]) == ["5"])
        let ttl = Int(try server.command(["PTTL", "herald:{p1}:caps:u1:email"]).first ?? "") ?? 0
        #expect(ttl > 86_000_000 && ttl <= 86_400_000)
    }

    @Test func capScriptSlidesTheWindowAndAgreesWithThePureDecision() throws {
        let server = try RedisTestServer.start()
        defer { server.stop() }
        let policy = try FrequencyCapPolicy.parse("sms=2/1s")
        let key = "herald:{p2}:caps:u1:sms"
        var recorded: [Date] = []
        // (offset ms, member, expected, free at ms) — a send at t holds its slot until t + 1000 ms.
        let steps: [(Int, String, Bool, Int)] = [
            (0, "a", true, 0), (100, "b", true, 0), (200, "c", false, 1000), (999, "c", false, 1000),
            (1000, "c", true, 0), (1050, "d", false, 1100), (1100, "d", true, 0),
        ]
        for (offset, member, expected, freeAt) in steps {
            let now = t0.addingTimeInterval(Double(offset) / 1000)
            let pure = policy.decide(channel: .sms, category: .marketing, previousSends: recorded, now: now)
            let reply = try server.eval(
                HeraldScripts.frequencyCapCheck.source, keys: [key],
                arguments: policy.scriptArguments(channel: .sms, category: .marketing, member: member, now: now)!)
            let scripted = policy.scriptDecision(channel: .sms, reply: ints(reply))
            let wanted = expected ? FrequencyCapDecision.allowed
                : .capped(until: Fixtures.ms(t0, Int64(freeAt)), cap: policy.caps[0])
            #expect(scripted == wanted, "step at +\(offset)ms member \(member)")
            #expect(pure == wanted, "pure decision at +\(offset)ms")
            if expected { recorded.append(now) }
        }
        // A retry of a recorded member is allowed without taking a second slot, even when full.
        let retry = try server.eval(
            HeraldScripts.frequencyCapCheck.source, keys: [key],
            arguments: policy.scriptArguments(channel: .sms, category: .marketing, member: "d", now: t0.addingTimeInterval(1.15))!)
        #expect(policy.scriptDecision(channel: .sms, reply: ints(retry)) == .allowed)
        #expect(try server.command(["ZCARD", key]) == ["2"])
    }

    @Test func capScriptReportsTheCapThatFreesLast() throws {
        let server = try RedisTestServer.start()
        defer { server.stop() }
        let policy = try FrequencyCapPolicy.parse("email=1/1h,email=2/1d")
        let key = "herald:{p3}:caps:u1:email"
        let first = try server.eval(
            HeraldScripts.frequencyCapCheck.source, keys: [key],
            arguments: policy.scriptArguments(channel: .email, category: .marketing, member: "m1", now: t0)!)
        #expect(policy.scriptDecision(channel: .email, reply: ints(first)) == .allowed)
        let later = t0.addingTimeInterval(7200)
        _ = try server.eval(
            HeraldScripts.frequencyCapCheck.source, keys: [key],
            arguments: policy.scriptArguments(channel: .email, category: .marketing, member: "m2", now: later)!)
        let third = try server.eval(
            HeraldScripts.frequencyCapCheck.source, keys: [key],
            arguments: policy.scriptArguments(channel: .email, category: .marketing, member: "m3", now: later.addingTimeInterval(60))!)
        let expected = FrequencyCapDecision.capped(until: t0.addingTimeInterval(86_400), cap: policy.caps[1])
        #expect(policy.scriptDecision(channel: .email, reply: ints(third)) == expected)
        #expect(policy.decide(channel: .email, category: .marketing, previousSends: [t0, later], now: later.addingTimeInterval(60)) == expected)
        #expect(try server.eval(HeraldScripts.frequencyCapRelease.source, keys: [key], arguments: ["m2"]) == ["1"])
        #expect(try server.eval(HeraldScripts.frequencyCapRelease.source, keys: [key], arguments: ["m2"]) == ["0"])
    }

    @Test func idempotencyClaimAgreesWithThePureDecisionThroughEveryMarker() throws {
        let server = try RedisTestServer.start()
        defer { server.stop() }
        let policy = IdempotencyPolicy(lease: 60)
        func claim(_ key: String, _ consumer: String, _ now: Date, _ category: MessageCategory = .transactional, attempt: Int = 0) throws -> IdempotencyClaimDecision? {
            let existing = try server.command(["GET", key]).first.flatMap { $0.isEmpty ? nil : $0 }
            let pure = policy.decideClaim(existing: existing, consumer: consumer, category: category, now: now)
            let scripted = IdempotencyClaimDecision(reply: try server.eval(
                HeraldScripts.idempotencyClaim.source, keys: [key], arguments: policy.claimArguments(consumer: consumer, attempt: attempt, category: category, now: now)))
            #expect(scripted == pure, "pure and script agree for \(consumer) on \(existing ?? "(none)")")
            return scripted
        }
        let key = "herald:{p4}:sent:j1:i1:s1"
        #expect(try claim(key, "host-1:sender:0", t0, attempt: 2) == .claimed)
        // The consumer name may hold colons: it is the marker's last part.
        #expect(try server.command(["GET", key]) == ["claimed:\(IdempotencyMarker.milliseconds(t0)):2:host-1:sender:0"])
        #expect(IdempotencyMarker(try server.command(["GET", key])[0]) == .claimed(at: Date(timeIntervalSince1970: Double(IdempotencyMarker.milliseconds(t0)) / 1000), attempt: 2, consumer: "host-1:sender:0"))
        let pttl = Int(try server.command(["PTTL", key]).first ?? "") ?? 0
        #expect(pttl > 60_000 && pttl <= 120_000)
        #expect(try claim(key, "sender-b", t0.addingTimeInterval(1)) == .busy(holder: "host-1:sender:0", leaseExpiresAt: t0.addingTimeInterval(60)))
        // The same consumer may claim its own key again (its batch failed before the provider call).
        #expect(try claim(key, "host-1:sender:0", t0.addingTimeInterval(2)) == .claimed)
        _ = try server.command(["SET", key, IdempotencyMarker.sent(providerMessageId: "SM123").encoded])
        #expect(try claim(key, "sender-b", t0.addingTimeInterval(3)) == .alreadySent(providerMessageId: "SM123"))
        #expect(try claim(key, "sender-b", t0.addingTimeInterval(999)) == .alreadySent(providerMessageId: "SM123"))
        #expect(try server.eval(HeraldScripts.idempotencyRelease.source, keys: [key], arguments: ["host-1:sender:0"]) == ["0"])

        // An abandoned claim (lease over, no outcome): transactional is taken over (resend) ...
        let resend = "herald:{p4}:sent:j1:i2:s1"
        #expect(try claim(resend, "a", t0) == .claimed)
        #expect(try claim(resend, "b", t0.addingTimeInterval(59.999)) == .busy(holder: "a", leaseExpiresAt: t0.addingTimeInterval(60)))
        #expect(try claim(resend, "b", t0.addingTimeInterval(60)) == .takenOver(previousConsumer: "a"))
        #expect(try server.eval(HeraldScripts.idempotencyRelease.source, keys: [resend], arguments: ["a"]) == ["0"], "the old holder can no longer release it")
        #expect(try server.eval(HeraldScripts.idempotencyRelease.source, keys: [resend], arguments: ["b"]) == ["1"])

        // ... and marketing is parked as unknown, for everyone after, until a replay.
        let park = "herald:{p4}:sent:j1:i3:s1"
        #expect(try claim(park, "a", t0, .marketing) == .claimed)
        #expect(try claim(park, "b", t0.addingTimeInterval(61), .marketing) == .parked(previousConsumer: "a"))
        #expect(try server.command(["GET", park]) == ["unknown:\(IdempotencyMarker.milliseconds(t0.addingTimeInterval(61))):a"])
        #expect(try claim(park, "c", t0.addingTimeInterval(62), .marketing) == .unknown(previousConsumer: "a"))
        #expect(try claim(park, "a", t0.addingTimeInterval(62), .marketing) == .unknown(previousConsumer: "a"))
        let outbox = "herald:{p4}:outbox:email"
        let replayed = try server.eval(HeraldScripts.idempotencyReplay.source, keys: [park, outbox], arguments: [#"{"request":1}"#])
        #expect(replayed.first?.contains("-") == true, "the request is back on its outbox")
        #expect(try server.command(["XLEN", outbox]) == ["1"])
        #expect(try server.eval(HeraldScripts.idempotencyReplay.source, keys: [park, outbox], arguments: ["{}"]) == ["0"], "replayed once")
        #expect(try claim(park, "c", t0.addingTimeInterval(63), .marketing) == .claimed)

        // A value in no known form is never overwritten and never sent.
        let odd = "herald:{p4}:sent:j1:i4:s1"
        _ = try server.command(["SET", odd, "garbage"])
        #expect(try claim(odd, "a", t0) == .unreadable(value: "garbage"))
        #expect(try server.command(["GET", odd]) == ["garbage"])
    }

    @Test func idempotencyClaimIsExclusiveUnderConcurrentCallers() throws {
        let server = try RedisTestServer.start()
        defer { server.stop() }
        let policy = IdempotencyPolicy(lease: 60)
        let replies = try server.concurrentEvals(
            HeraldScripts.idempotencyClaim.source, keys: ["herald:{p5}:sent:k"],
            argumentSets: (0..<12).map { policy.claimArguments(consumer: "c\($0)", attempt: 0, category: .transactional, now: t0) })
        let decisions = replies.map(IdempotencyClaimDecision.init(reply:))
        #expect(decisions.filter { $0 == .claimed }.count == 1)
        #expect(decisions.filter { if case .busy? = $0 { return true } else { return false } }.count == 11)
    }

    @Test func gcraScriptAllowsTheBurstThenReservesSlotsAndHonoursRetryAfter() throws {
        let server = try RedisTestServer.start()
        defer { server.stop() }
        let limiter = RateLimiter(rate: 10, burst: 3)
        let key = "herald:{rl:twilio}:tat"
        var tat: Date?
        func acquire(_ now: Date) throws -> RateLimitDecision? {
            let pure = limiter.decide(tat: tat, now: now)
            let scripted = RateLimitDecision(reply: ints(try server.eval(HeraldScripts.rateLimitAcquire.source, keys: [key], arguments: limiter.acquireArguments(now: now))))
            #expect(scripted == pure, "pure and script agree at \(now.timeIntervalSince(t0))s")
            tat = limiter.advanced(tat: tat, now: now)
            return scripted
        }
        for step in 1...3 { #expect(try acquire(t0) == .allowed(newTAT: Fixtures.ms(t0, Int64(step) * 100))) }
        // Past the burst each call is given the next free slot, and the slot is its own.
        #expect(try acquire(t0) == .reserved(slot: Fixtures.ms(t0, 100)))
        #expect(try acquire(t0.addingTimeInterval(0.05)) == .reserved(slot: Fixtures.ms(t0, 200)))
        #expect(try server.command(["GET", key]) == [String(Int64((t0.timeIntervalSince1970 * 1000).rounded()) * 1000 + 500_000)])
        #expect(try acquire(t0.addingTimeInterval(0.3)) == .allowed(newTAT: Fixtures.ms(t0, 600)))

        // Retry-After 2 s from t0+0.3: nothing before t0+2.3, then one call per interval.
        let penalizedAt = t0.addingTimeInterval(0.3)
        let reply = try server.eval(HeraldScripts.rateLimitPenalize.source, keys: [key], arguments: limiter.penalizeArguments(retryAfter: 2, now: penalizedAt))
        tat = limiter.penalize(tat: tat, retryAfter: 2, now: penalizedAt)
        #expect(reply == [String(Int64(try #require(tat).timeIntervalSince1970 * 1000))])
        #expect(try acquire(t0.addingTimeInterval(0.4)) == .reserved(slot: Fixtures.ms(t0, 2300)))
        #expect(try acquire(t0.addingTimeInterval(2.3)) == .reserved(slot: Fixtures.ms(t0, 2400)))
        // A Retry-After that ends before the current TAT never pulls it back.
        let before = try server.command(["GET", key])
        #expect(limiter.penalize(tat: tat, retryAfter: 0.05, now: t0.addingTimeInterval(2.3)) == tat)
        _ = try server.eval(HeraldScripts.rateLimitPenalize.source, keys: [key], arguments: limiter.penalizeArguments(retryAfter: 0.05, now: t0.addingTimeInterval(2.3)))
        #expect(try server.command(["GET", key]) == before)
    }

    @Test func gcraScriptOnTheServerClockAdmitsExactlyTheBurstAtOnce() throws {
        let server = try RedisTestServer.start()
        defer { server.stop() }
        let limiter = RateLimiter(rate: 1, burst: 4)
        let replies = try server.concurrentEvals(
            HeraldScripts.rateLimitAcquire.source, keys: ["herald:{rl:smtp}:tat"],
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
