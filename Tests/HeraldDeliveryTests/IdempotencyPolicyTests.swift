import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

@testable import HeraldDelivery

@Suite struct IdempotencyPolicyTests {
    let policy = IdempotencyPolicy(lease: 60)
    let now = Fixtures.wholeSecondNow()

    @Test func markersRoundTripAndRejectOtherText() {
        let at = Date(unixMilliseconds: IdempotencyMarker.milliseconds(now))
        for marker in [IdempotencyMarker.claimed(at: at, attempt: 3, consumer: "host:7:sender"), .sent(providerMessageId: "<a:b@c>"), .unknown(at: at, previousConsumer: "x:y")] {
            #expect(IdempotencyMarker(marker.encoded) == marker)
        }
        #expect(IdempotencyMarker.claimed(at: at, attempt: 0, consumer: "c").encoded == "claimed:\(IdempotencyMarker.milliseconds(now)):0:c")
        for text in ["", "claimed:", "claimed:x:1:c", "claimed:1:c", "claimed:+1:0:c", "claimed:1:-1:c", "unknown:c", "unknown:-1:c", "other"] { #expect(IdempotencyMarker(text) == nil) }
    }

    @Test func sentMarkersLiveAsLongAsARedeliveryCanReachThem() {
        // Five deliveries, each found within 30 s idle + 5 s interval and waiting out a 60 s lease, plus a day's outage.
        #expect(IdempotencyPolicy.derivedSentRetention(claimIdle: 30, claimInterval: 5, maxDeliveries: 5, lease: 60) == 5 * 95 + 86_400)
        #expect(IdempotencyPolicy(lease: 60).sentRetention == 5 * 95 + 86_400, "the default follows the default worker settings")
        #expect(IdempotencyPolicy(lease: 60).sentRetention < 2 * 86_400, "not 30 days")
        let arguments = IdempotencyPolicy(lease: 60, unknownRetention: 3600).claimArguments(consumer: "c", attempt: 0, category: .marketing, now: now)
        #expect(arguments.last == "3600000", "unknown: markers keep their own retention")
    }

    @Test func claimDecisionsPerCategory() {
        let claimed = IdempotencyMarker.claimed(at: now, attempt: 0, consumer: "host:7:sender").encoded
        #expect(policy.decideClaim(existing: nil, consumer: "a", category: .marketing, now: now) == .claimed)
        #expect(policy.decideClaim(existing: "sent:SM1", consumer: "a", category: .marketing, now: now) == .alreadySent(providerMessageId: "SM1"))
        #expect(policy.decideClaim(existing: claimed, consumer: "host:7:sender", category: .marketing, now: now.addingTimeInterval(5)) == .claimed)
        #expect(policy.decideClaim(existing: claimed, consumer: "b", category: .marketing, now: now.addingTimeInterval(59.999))
            == .busy(holder: "host:7:sender", leaseExpiresAt: now.addingTimeInterval(60)))
        #expect(policy.decideClaim(existing: claimed, consumer: "b", category: .transactional, now: now.addingTimeInterval(60)) == .takenOver(previousConsumer: "host:7:sender"))
        #expect(policy.decideClaim(existing: claimed, consumer: "b", category: .marketing, now: now.addingTimeInterval(60)) == .parked(previousConsumer: "host:7:sender"))
        var resendAll = policy
        resendAll.uncertain = UncertainSendPolicies(transactional: .park, marketing: .resend)
        #expect(resendAll.decideClaim(existing: claimed, consumer: "b", category: .marketing, now: now.addingTimeInterval(60)) == .takenOver(previousConsumer: "host:7:sender"))
        #expect(resendAll.decideClaim(existing: claimed, consumer: "b", category: .transactional, now: now.addingTimeInterval(60)) == .parked(previousConsumer: "host:7:sender"))
        #expect(policy.decideClaim(existing: "unknown:1:x", consumer: "b", category: .transactional, now: now) == .unknown(previousConsumer: "x"))
        #expect(policy.decideClaim(existing: "garbage", consumer: "b", category: .transactional, now: now) == .unreadable(value: "garbage"))
    }

    @Test func uncertainPoliciesParseAndRefuseTypos() throws {
        #expect(try UncertainSendPolicies.parse("") == UncertainSendPolicies(transactional: .resend, marketing: .park))
        #expect(try UncertainSendPolicies.parse("marketing=resend") == UncertainSendPolicies(transactional: .resend, marketing: .resend))
        #expect(try UncertainSendPolicies.parse("transactional=park, marketing=park") == UncertainSendPolicies(transactional: .park, marketing: .park))
        #expect(throws: UncertainSendPolicyError.invalidPart("marketing=drop")) { try UncertainSendPolicies.parse("marketing=drop") }
        #expect(throws: UncertainSendPolicyError.unknownCategory("promo")) { try UncertainSendPolicies.parse("promo=park") }
    }

    @Test func leaseOutlastsTheProviderCall() {
        #expect(IdempotencyPolicy.defaultLease(providerTimeout: 5) == 30)
        #expect(IdempotencyPolicy.defaultLease(providerTimeout: 30) == 70)
    }

    @Test func argumentsAndReplies() {
        #expect(policy.claimArguments(consumer: "a", attempt: 1, category: .marketing, now: now)
            == ["a", "1", String(IdempotencyMarker.milliseconds(now)), "60000", "park", "2592000000"])
        #expect(IdempotencyClaimDecision(reply: ["busy", "a", "1000"]) == .busy(holder: "a", leaseExpiresAt: Date(timeIntervalSince1970: 1)))
        #expect(IdempotencyClaimDecision(reply: ["parked", "a", ""]) == .parked(previousConsumer: "a"))
        #expect(IdempotencyClaimDecision(reply: ["claimed"]) == nil)
    }
}

/// The idempotency scripts on a real redis-server and `IdempotencyPolicy`'s pure transitions, run
/// over the same table of claim, release, sent and replay steps: after every step both give the
/// same answer and leave the same value in the key.
@Suite(.timeLimit(.minutes(1))) struct IdempotencyScriptAgreementTests {
    /// One step on a key.
    enum Step: CustomStringConvertible {
        /// `consumer` claims at `offset` seconds after the case's start.
        case claim(String, MessageCategory, attempt: Int, at: TimeInterval)
        /// `consumer` gives its claim back.
        case release(String)
        /// The provider accepted: the key is marked sent.
        case markSent(String)
        /// An operator replays a parked send.
        case replay
        /// The key is set to raw text (a value written by something else).
        case store(String)

        var description: String {
            switch self {
            case .claim(let consumer, let category, let attempt, let at): return "claim \(consumer) \(category.rawValue) #\(attempt) +\(at)s"
            case .release(let consumer): return "release \(consumer)"
            case .markSent(let id): return "sent \(id)"
            case .replay: return "replay"
            case .store(let value): return "store \(value)"
            }
        }
    }

    /// What a step answered.
    enum Answer: Equatable {
        case claim(IdempotencyClaimDecision?)
        case done(Bool)
        case none
    }

    // A start on a whole second plus 7 ms, so a lease's end is an exact millisecond that a
    // float round trip could miss by one.
    let start = Date(timeIntervalSince1970: Double(Int64(Date().timeIntervalSince1970)) + 0.007)
    let policy = IdempotencyPolicy(lease: 60, unknownRetention: 3600)

    /// Named cases: the steps and the answers both sides must give.
    var cases: [(String, [(Step, Answer)])] {
        let ms = { (offset: TimeInterval) in Date(timeIntervalSince1970: Double(IdempotencyMarker.milliseconds(start.addingTimeInterval(offset))) / 1000) }
        return [
            ("a free key is claimed, and its holder may claim it again", [
                (.claim("host-1:sender:0", .transactional, attempt: 2, at: 0), .claim(.claimed)),
                (.claim("host-1:sender:0", .transactional, attempt: 3, at: 5), .claim(.claimed)),
            ]),
            ("another consumer waits out the lease to the millisecond, then takes a transactional key over", [
                (.claim("a", .transactional, attempt: 0, at: 0), .claim(.claimed)),
                (.claim("b", .transactional, attempt: 0, at: 59.999), .claim(.busy(holder: "a", leaseExpiresAt: ms(60)))),
                (.claim("b", .transactional, attempt: 0, at: 60), .claim(.takenOver(previousConsumer: "a"))),
                (.release("a"), .done(false)),
                (.release("b"), .done(true)),
                (.claim("c", .transactional, attempt: 1, at: 61), .claim(.claimed)),
            ]),
            ("an abandoned marketing claim is parked for everyone until a replay", [
                (.claim("a", .marketing, attempt: 0, at: 0), .claim(.claimed)),
                (.claim("b", .marketing, attempt: 0, at: 61), .claim(.parked(previousConsumer: "a"))),
                (.claim("c", .marketing, attempt: 0, at: 62), .claim(.unknown(previousConsumer: "a"))),
                (.claim("a", .marketing, attempt: 0, at: 62), .claim(.unknown(previousConsumer: "a"))),
                (.release("a"), .done(false)),
                (.replay, .done(true)),
                (.replay, .done(false)),
                (.claim("c", .marketing, attempt: 0, at: 63), .claim(.claimed)),
            ]),
            ("a sent key stays sent, for its holder too, and is neither released nor replayed", [
                (.claim("a", .transactional, attempt: 0, at: 0), .claim(.claimed)),
                (.markSent("<m-1@example.com>"), .none),
                (.claim("a", .transactional, attempt: 0, at: 1), .claim(.alreadySent(providerMessageId: "<m-1@example.com>"))),
                (.claim("b", .marketing, attempt: 0, at: 999), .claim(.alreadySent(providerMessageId: "<m-1@example.com>"))),
                (.release("a"), .done(false)),
                (.replay, .done(false)),
            ]),
            ("a released claim frees the key for anyone", [
                (.claim("a", .marketing, attempt: 0, at: 0), .claim(.claimed)),
                (.release("b"), .done(false)),
                (.release("a"), .done(true)),
                (.claim("b", .marketing, attempt: 1, at: 1), .claim(.claimed)),
            ]),
            ("values in no known form are unreadable and left alone", [
                (.store("garbage"), .none),
                (.claim("a", .transactional, attempt: 0, at: 0), .claim(.unreadable(value: "garbage"))),
                (.store("claimed:+5:0:a"), .none),
                (.claim("b", .transactional, attempt: 0, at: 0), .claim(.unreadable(value: "claimed:+5:0:a"))),
                (.release("a"), .done(false)),
                (.store("claimed:5:-1:a"), .none),
                (.claim("b", .transactional, attempt: 0, at: 0), .claim(.unreadable(value: "claimed:5:-1:a"))),
                (.store("unknown:12"), .none),
                (.claim("b", .transactional, attempt: 0, at: 0), .claim(.unreadable(value: "unknown:12"))),
                (.replay, .done(true)),
            ]),
            ("an empty provider id is still sent", [
                (.store("sent:"), .none),
                (.claim("a", .transactional, attempt: 0, at: 0), .claim(.alreadySent(providerMessageId: ""))),
            ]),
        ]
    }

    /// Runs `step` on the pure side.
    func pure(_ step: Step, _ value: inout String?) -> Answer {
        switch step {
        case .claim(let consumer, let category, let attempt, let at):
            let outcome = policy.claim(existing: value, consumer: consumer, attempt: attempt, category: category, now: start.addingTimeInterval(at))
            if let write = outcome.write { value = write.marker.encoded }
            return .claim(outcome.decision)
        case .release(let consumer):
            let released = IdempotencyPolicy.release(existing: value, consumer: consumer)
            if released { value = nil }
            return .done(released)
        case .markSent(let id):
            value = policy.sentWrite(providerMessageId: id).marker.encoded
            return .none
        case .replay:
            let replayed = IdempotencyPolicy.replay(existing: value)
            if replayed { value = nil }
            return .done(replayed)
        case .store(let text):
            value = text
            return .none
        }
    }

    /// Runs `step` on the server, with the scripts the sender and `heraldctl` run, reading their
    /// replies as `RedisSenderStore` and `heraldctl deliveries replay` do.
    func scripted(_ step: Step, key: RedisKey, redis: RedisConnection) async throws -> Answer {
        switch step {
        case .claim(let consumer, let category, let attempt, let at):
            let arguments = policy.claimArguments(consumer: consumer, attempt: attempt, category: category, now: start.addingTimeInterval(at))
            let reply = try await redis.evaluate(HeraldScripts.idempotencyClaim, keys: [key], arguments: arguments)
            return .claim(IdempotencyClaimDecision(reply: (reply.array ?? []).compactMap(\.string)))
        case .release(let consumer):
            return .done(try await redis.evaluate(HeraldScripts.idempotencyRelease, keys: [key], arguments: [consumer]).int == 1)
        case .markSent(let id):
            let write = policy.sentWrite(providerMessageId: id)
            _ = try await redis.send("SET", key.rawValue, write.marker.encoded, "PX", String(write.retentionMilliseconds))
            return .none
        case .replay:
            let outbox = key.rawValue + ":outbox"
            let request = #"{"replayed":"\#(key.rawValue)"}"#
            let reply = try await redis.evaluate(HeraldScripts.idempotencyReplay, keys: [key, RedisKey(outbox)], arguments: [request])
            guard let id = reply.string, reply.int != 0 else { return .done(false) }
            // A replay puts the request back on its outbox, as the entry the reply names.
            let entry = try await redis.send("XRANGE", outbox, id, id)
            #expect(entry.array?.first?.array?.last?.fields["request"]?.string == request, "replay: the outbox holds \(entry)")
            return .done(true)
        case .store(let text):
            _ = try await redis.send("SET", key.rawValue, text)
            return .none
        }
    }

    @Test func theScriptsAndThePolicyAgreeOnEveryStep() async throws {
        let server = try RedisServer()
        let redis = server.connection()
        for (caseIndex, (name, steps)) in cases.enumerated() {
            // Its own hash tag, so the replay's outbox key is in the same slot.
            let key = RedisKey("herald:{p\(caseIndex)}:sent:case-\(caseIndex)")
            var value: String?
            for (step, expected) in steps {
                let pureAnswer = pure(step, &value)
                let scriptAnswer = try await scripted(step, key: key, redis: redis)
                #expect(pureAnswer == expected, "\(name): \(step): the policy answered \(pureAnswer)")
                #expect(scriptAnswer == expected, "\(name): \(step): the script answered \(scriptAnswer)")
                let stored = try await redis.send("GET", key.rawValue).string
                #expect(stored == value, "\(name): \(step): the server holds \(stored ?? "nothing"), the policy \(value ?? "nothing")")
            }
        }
    }

    @Test func writesLiveAsLongAsTheScriptsKeepThem() async throws {
        let server = try RedisServer()
        let redis = server.connection()
        let key: RedisKey = "herald:{p1}:sent:ttl"
        let claim = policy.claim(existing: nil, consumer: "a", attempt: 0, category: .marketing, now: start)
        _ = try await redis.evaluate(HeraldScripts.idempotencyClaim, keys: [key], arguments: policy.claimArguments(consumer: "a", attempt: 0, category: .marketing, now: start))
        let claimTTL = try await redis.send("PTTL", key.rawValue).int ?? 0
        #expect(claim.write?.retentionMilliseconds == 120_000)
        #expect(claimTTL > 118_000 && claimTTL <= 120_000, "the script keeps a claim for two leases: \(claimTTL)")
        let parked = policy.claim(existing: claim.write?.marker.encoded, consumer: "b", attempt: 0, category: .marketing, now: start.addingTimeInterval(61))
        _ = try await redis.evaluate(HeraldScripts.idempotencyClaim, keys: [key], arguments: policy.claimArguments(consumer: "b", attempt: 0, category: .marketing, now: start.addingTimeInterval(61)))
        let parkedTTL = try await redis.send("PTTL", key.rawValue).int ?? 0
        #expect(parked.write?.retentionMilliseconds == 3_600_000)
        #expect(parkedTTL > 3_598_000 && parkedTTL <= 3_600_000, "the script keeps a parked key for the unknown retention: \(parkedTTL)")
    }
}
