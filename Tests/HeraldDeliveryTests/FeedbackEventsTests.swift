import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite struct FeedbackEventsTests {
    let at = Fixtures.date("2026-11-27T09:00:00Z")

    private func event(_ name: String, _ properties: [String: JSONValue], type: Event.Kind = .track) -> Event {
        Event(type: type, messageId: "m1", userId: "u1", event: type == .track ? name : nil, properties: properties, timestamp: at)
    }

    @Test func unsubscribedDefaultsToMarketingOnTheNamedChannel() throws {
        let updates = try FeedbackEvents.suppressionUpdates(for: event("Unsubscribed", ["channel": "email"]))
        #expect(updates == [.add(SuppressionEntry(channel: .email, category: .marketing, reason: .unsubscribed, since: at))])
    }

    @Test func unsubscribedWithoutChannelCoversEveryChannel() throws {
        let updates = try FeedbackEvents.suppressionUpdates(for: event("Unsubscribed", ["category": "all"]))
        #expect(updates.count == Channel.allCases.count)
        #expect(updates.allSatisfy { if case .add(let entry) = $0 { entry.category == nil } else { false } })
    }

    @Test func unsubscribedRejectsUnknownValues() {
        #expect(throws: FeedbackEventError.invalidProperty(event: "Unsubscribed", property: "channel", value: "fax")) {
            try FeedbackEvents.suppressionUpdates(for: event("Unsubscribed", ["channel": "fax"]))
        }
        #expect(throws: FeedbackEventError.invalidProperty(event: "Unsubscribed", property: "category", value: "promo")) {
            try FeedbackEvents.suppressionUpdates(for: event("Unsubscribed", ["category": "promo"]))
        }
    }

    @Test func bouncesComplaintsAndDeadTokens() throws {
        #expect(try FeedbackEvents.suppressionUpdates(for: event("Email Bounced", ["email": "A@B.c", "bounceType": "hard"]))
            == [.add(SuppressionEntry(channel: .email, address: "a@b.c", reason: .hardBounce, since: at))])
        #expect(try FeedbackEvents.suppressionUpdates(for: event("Email Bounced", ["email": "a@b.c", "bounceType": "soft"])).isEmpty)
        #expect(try FeedbackEvents.suppressionUpdates(for: event("Email Complained", ["email": "a@b.c"]))
            == [.add(SuppressionEntry(channel: .email, address: "a@b.c", reason: .complaint, since: at))])
        #expect(try FeedbackEvents.suppressionUpdates(for: event("Push Token Unregistered", ["token": "tok1"]))
            == [.add(SuppressionEntry(channel: .push, address: "tok1", reason: .unregisteredToken, since: at))])
    }

    @Test func feedbackWithoutItsAddressIsAnError() {
        #expect(throws: FeedbackEventError.missingProperty(event: "Email Bounced", property: "email")) {
            try FeedbackEvents.suppressionUpdates(for: event("Email Bounced", ["bounceType": "hard"]))
        }
        #expect(throws: FeedbackEventError.invalidProperty(event: "Email Bounced", property: "bounceType", value: "(missing)")) {
            try FeedbackEvents.suppressionUpdates(for: event("Email Bounced", ["email": "a@b.c"]))
        }
        #expect(throws: FeedbackEventError.missingProperty(event: "Push Token Unregistered", property: "token")) {
            try FeedbackEvents.suppressionUpdates(for: event("Push Token Unregistered", [:]))
        }
    }

    @Test func otherEventsChangeNothing() throws {
        #expect(try FeedbackEvents.suppressionUpdates(for: event("Order Completed", ["email": "a@b.c"])).isEmpty)
        #expect(try FeedbackEvents.suppressionUpdates(for: event("Unsubscribed", [:], type: .identify)).isEmpty)
    }

    @Test func subscribingAgainRemovesUnsubscribesButKeepsBounces() throws {
        var record = SuppressionRecord()
        record = record.applying(try FeedbackEvents.suppressionUpdates(for: event("Unsubscribed", ["channel": "email"])))
        record = record.applying(try FeedbackEvents.suppressionUpdates(for: event("Email Bounced", ["email": "a@b.c", "bounceType": "hard"])))
        record = record.applying(try FeedbackEvents.suppressionUpdates(for: event("Unsubscribed", ["channel": "email"])))
        #expect(record.entries.count == 2)
        record = record.applying(try FeedbackEvents.suppressionUpdates(for: event("Subscribed", ["channel": "email"])))
        #expect(record.entries.map(\.reason) == [.hardBounce])
    }

    @Test func providerInvalidRecipientBecomesASuppression() {
        #expect(FeedbackEvents.suppressionUpdate(for: .invalidRecipient(reason: "550"), channel: .email, recipient: "a@b.c", at: at)
            == .add(SuppressionEntry(channel: .email, address: "a@b.c", reason: .hardBounce, since: at)))
        #expect(FeedbackEvents.suppressionUpdate(for: .invalidRecipient(reason: "gone"), channel: .push, recipient: "t", at: at)
            == .add(SuppressionEntry(channel: .push, address: "t", reason: .unregisteredToken, since: at)))
        #expect(FeedbackEvents.suppressionUpdate(for: .retryable(reason: "503"), channel: .email, recipient: "a@b.c", at: at) == nil)
    }

    @Test func anInvalidSMSNumberIsAHardBounceOnThatNumber() throws {
        #expect(try FeedbackEvents.suppressionUpdates(for: event("SMS Number Invalid", ["phone": " +15005550001 "]))
            == [.add(SuppressionEntry(channel: .sms, address: "+15005550001", reason: .hardBounce, since: at))])
        #expect(throws: FeedbackEventError.missingProperty(event: "SMS Number Invalid", property: "phone")) {
            try FeedbackEvents.suppressionUpdates(for: event("SMS Number Invalid", [:]))
        }
        #expect(!FeedbackEvents.producerNames.contains("SMS Number Invalid") && FeedbackEvents.names.contains("SMS Number Invalid"))
    }

    @Test func aRefusedAddressBecomesTheFeedbackEventThatSuppressesIt() throws {
        let refused = ProviderError.invalidRecipient(reason: "550 no such user")
        for (channel, address, name) in [(Channel.email, "a@b.c", "Email Bounced"), (.push, "tok1", "Push Token Unregistered"), (.sms, "+15005550001", "SMS Number Invalid")] {
            let event = try #require(FeedbackEvents.refusalEvent(
                for: refused, channel: channel, recipient: address, userId: "u1", messageKey: "k1", attempt: 2, at: at))
            #expect(event.event == name && event.userId == "u1" && event.messageId == "herald-feedback-k1-2")
            #expect(event.properties["messageId"] == "k1" && event.context["source"]?.stringValue == "herald-\(channel.rawValue)-sender")
            // The evaluator applies exactly the suppression the provider's error implies.
            let expected = try #require(FeedbackEvents.suppressionUpdate(for: refused, channel: channel, recipient: address, at: at))
            #expect(try FeedbackEvents.suppressionUpdates(for: event) == [expected])
        }
        #expect(FeedbackEvents.refusalEvent(for: refused, channel: .webhook, recipient: "https://x", userId: "u1", messageKey: "k", attempt: 0, at: at) == nil)
        #expect(FeedbackEvents.refusalEvent(for: .retryable(reason: "503"), channel: .email, recipient: "a@b.c", userId: "u1", messageKey: "k", attempt: 0, at: at) == nil)
    }

    @Test func recordsRoundTripThroughJSONAndReportBadEntries() throws {
        let record = SuppressionRecord(entries: [
            SuppressionEntry(channel: .email, address: "a@b.c", reason: .hardBounce, since: at),
            SuppressionEntry(channel: .sms, category: .marketing, reason: .unsubscribed, since: at),
        ])
        let text = record.json.serialized()
        #expect(try SuppressionRecord(json: try JSONValue.parse(text)) == record)
        let broken: JSONValue = ["entries": [["channel": "email", "reason": "hard_bounce", "since": "2026-11-27T09:00:00Z"], ["channel": "email", "reason": "nope", "since": "2026-11-27T09:00:00Z"]]]
        #expect(throws: SuppressionRecordError.invalidEntry(index: 1, field: "reason")) { try SuppressionRecord(json: broken) }
        #expect(throws: SuppressionRecordError.notARecord) { try SuppressionRecord(json: [:]) }
    }
}
