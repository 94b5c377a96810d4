import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import Testing

/// The pure pieces behind feedback, rate-limit settings and channel counters.
@Suite struct FeedbackPlanTests {
    static func event(_ name: String, _ properties: [String: JSONValue]) -> Event {
        Event(type: .track, messageId: "m-1", userId: "u1", event: name, properties: properties,
              timestamp: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func statusEventsNeedAMessageIdAndAChannel() throws {
        let opened = try #require(try DeliveryFeedback.plan(for: Self.event("Message Opened", ["messageId": "k-1", "channel": "email"])))
        #expect(opened.status == .opened && opened.channel == .email && opened.messageId == "k-1" && opened.suppressionUpdates.isEmpty)
        let byProviderId = try #require(try DeliveryFeedback.plan(for: Self.event("Message Delivered", ["providerMessageId": "SM1", "channel": "sms"])))
        #expect(byProviderId.status == .delivered && byProviderId.messageId == "SM1")
        #expect(throws: FeedbackEventError.missingProperty(event: "Message Clicked", property: "channel")) {
            try DeliveryFeedback.plan(for: Self.event("Message Clicked", ["messageId": "k-1"]))
        }
        #expect(throws: FeedbackEventError.missingProperty(event: "Message Failed", property: "messageId")) {
            try DeliveryFeedback.plan(for: Self.event("Message Failed", ["channel": "sms"]))
        }
        #expect(throws: FeedbackEventError.invalidProperty(event: "Message Opened", property: "channel", value: "fax")) {
            try DeliveryFeedback.plan(for: Self.event("Message Opened", ["messageId": "k", "channel": "fax"]))
        }
        #expect(try DeliveryFeedback.plan(for: Self.event("Order Completed", ["channel": "email"])) == nil)
    }

    @Test func bouncesAndDeadTokensCarrySuppressionsAndStatuses() throws {
        let hard = try #require(try DeliveryFeedback.plan(for: Self.event("Email Bounced", ["email": "A@B.C", "bounceType": "hard"])))
        #expect(hard.status == .bounced && hard.channel == .email && hard.suppressionUpdates.count == 1)
        let soft = try #require(try DeliveryFeedback.plan(for: Self.event("Email Bounced", ["email": "a@b.c", "bounceType": "soft"])))
        #expect(soft.status == .deferred && soft.suppressionUpdates.isEmpty)
        let token = try #require(try DeliveryFeedback.plan(for: Self.event("Push Token Unregistered", ["token": "t-1"])))
        #expect(token.removedPushToken == "t-1" && token.status == .bounced && token.channel == .push)
        let unsubscribed = try #require(try DeliveryFeedback.plan(for: Self.event("Unsubscribed", [:])))
        #expect(unsubscribed.status == nil && unsubscribed.suppressionUpdates.count == Channel.allCases.count)
    }

    @Test func onlyUserIntentIsAcceptedFromProducers() throws {
        #expect(DeliveryFeedback.heraldOnlyNames.isDisjoint(with: ["Unsubscribed", "Subscribed"]))
        #expect(DeliveryFeedback.heraldOnlyNames.isSuperset(of: [
            "Email Bounced", "Email Complained", "Push Token Unregistered", "SMS Number Invalid",
            "Message Delivered", "Message Opened", "Message Clicked", "Message Failed", "Message Deferred",
        ]))
        #expect(DeliveryFeedback.heraldOnlyNames.union(FeedbackEvents.producerNames) == DeliveryFeedback.names)
        let sms = try #require(try DeliveryFeedback.plan(for: Self.event("SMS Number Invalid", ["phone": "+15005550001"])))
        #expect(sms.status == .bounced && sms.channel == .sms && sms.suppressionUpdates.count == 1)
    }

    @Test func removingAPushTokenKeepsTheOthersAndReportsNoChangeWhenAbsent() {
        #expect(DeliveryFeedback.pushTokens(.array(["a", "b", "a"]), removing: "a") == .array(["b"]))
        #expect(DeliveryFeedback.pushTokens(.array(["b"]), removing: "a") == nil)
        #expect(DeliveryFeedback.pushTokens(nil, removing: "a") == nil)
    }

    @Test func rateSettingsParseAndRejectNonsense() throws {
        let keyspace = Keyspace(prefix: "h", partitions: 2)
        let limit = try #require(try ChannelRateLimit.parse(channel: .email, environment: ["HERALD_EMAIL_RATE": "50/s"], keyspace: keyspace, provider: "smtp"))
        // The default burst is 1: no 1 s window holds more than the rate.
        #expect(limit.limiter.rate == 50 && limit.limiter.burst == 1 && limit.key == RedisKey("h:{rl:email:smtp}:tat"))
        let perMinute = try #require(try ChannelRateLimit.parse(
            channel: .sms, environment: ["HERALD_SMS_RATE": "120/m", "HERALD_SMS_BURST": "5"], keyspace: keyspace, provider: "twilio"))
        #expect(perMinute.limiter.rate == 2 && perMinute.limiter.burst == 5)
        #expect(try ChannelRateLimit.parse(channel: .sms, environment: [:], keyspace: keyspace, provider: "twilio") == nil)
        #expect(throws: ChannelRateLimitError.invalidRate(variable: "HERALD_PUSH_RATE", value: "fast")) {
            try ChannelRateLimit.parse(channel: .push, environment: ["HERALD_PUSH_RATE": "fast"], keyspace: keyspace, provider: "fcm")
        }
        #expect(throws: ChannelRateLimitError.invalidRate(variable: "HERALD_PUSH_RATE", value: "5/d")) {
            try ChannelRateLimit.parse(channel: .push, environment: ["HERALD_PUSH_RATE": "5/d"], keyspace: keyspace, provider: "fcm")
        }
        #expect(throws: ChannelRateLimitError.invalidBurst(variable: "HERALD_PUSH_BURST", value: "0")) {
            try ChannelRateLimit.parse(channel: .push, environment: ["HERALD_PUSH_RATE": "5/s", "HERALD_PUSH_BURST": "0"], keyspace: keyspace, provider: "fcm")
        }
    }

    @Test func channelStatsSumPartitionsAndReadFloatCounters() {
        var stats = ChannelStats()
        stats.add(hashReply: [.bulk(Array("email:sent".utf8)), .bulk(Array("3".utf8)), .bulk(Array("email:opened".utf8)), .bulk(Array("1".utf8))])
        stats.add(hashReply: [.bulk(Array("email:sent".utf8)), .bulk(Array("2".utf8)), .bulk(Array("sms:failed".utf8)), .bulk(Array("1.0".utf8))])
        #expect(stats.counts == ["email": ["sent": 5, "opened": 1], "sms": ["failed": 1]])
        #expect(stats.table.split(separator: "\n").count == 3)
    }

    @Test func anUnknownProviderNameIsAConfigurationError() throws {
        #expect(throws: ChannelProviderError.unknownProvider(variable: "HERALD_SMS_SECONDARY", name: "smtp", channel: .sms)) {
            try ChannelProviders.make(.sms, environment: ["HERALD_SMS_SECONDARY": "smtp"], redis: RedisConfiguration(host: "127.0.0.1", port: 1), keyspace: Keyspace())
        }
        let (provider, description) = try ChannelProviders.make(
            .sms, environment: ["HERALD_SMS_PROVIDER": "sink", "HERALD_SMS_SECONDARY": "outbox"],
            redis: RedisConfiguration(host: "127.0.0.1", port: 1), keyspace: Keyspace())
        #expect(provider.name == "sink>outbox-sms" && description.contains("failing over to"))
    }
}
