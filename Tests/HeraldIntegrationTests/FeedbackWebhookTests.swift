import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldTestSupport
import Testing

/// `POST /callbacks/feedback`: Standard Webhooks verification (requests signed by the
/// `standardwebhooks` library), the documented payload, and every refusal.
@Suite struct FeedbackWebhookTests {
    static let secret = "whsec_" + Data("feedback-secret-0123456789abcdef".utf8).base64EncodedString()
    static let rotatedOut = "whsec_" + Data("an-older-secret-still-accepted!!".utf8).base64EncodedString()

    struct Route {
        let writer = InMemoryEdgeStreamWriter()
        let metrics = Metrics()
        var router = HTTPRouter()

        init() throws {
            let verifier = try StandardWebhookVerifier(secrets: [Secret(FeedbackWebhookTests.secret), Secret(FeedbackWebhookTests.rotatedOut)])
            FeedbackWebhook(verifier: verifier, writer: writer, metrics: metrics, logger: Logger(service: "test", minimumLevel: .error))
                .register(in: &router)
        }

        func post(_ body: String, headers: [String: String], contentType: String = "application/json") async -> HTTPResponse {
            var fields = HTTPHeaders([("Content-Type", contentType)])
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { fields.add(name, value) }
            return await router.respond(to: HTTPRequest(method: "POST", path: "/callbacks/feedback", headers: fields, body: Array(body.utf8)))
        }

        func refused(_ reason: String) -> Double { metrics.value(.edgeCallbacksRefused, ["route": "callbacks.feedback", "reason": reason]) }
    }

    static func signed(_ body: String, id: String = "msg_\(UUID().uuidString)", secret: String = secret, at: Date = Date()) throws -> [String: String] {
        try PythonScript.standardWebhookHeaders(secret: secret, id: id, timestamp: Int(at.timeIntervalSince1970), body: body)
    }

    @Test func aHardBounceSignedByTheLibraryBecomesHeraldFeedbackWithAStableId() async throws {
        let route = try Route()
        let body = #"{"type":"bounce","userId":"ann","messageId":"welcome-ann/mail/0","channel":"email","address":"ann@example.com","bounceType":"hard","reason":"550 5.1.1 no such user"}"#
        let headers = try Self.signed(body, id: "msg_bounce_1")
        let response = await route.post(body, headers: headers)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"accepted":1,"messageIds":["edge-feedback-msg_bounce_1"]}"#)
        let event = try #require(route.writer.feedbackEvents.first)
        #expect(event.event == "Email Bounced" && event.userId == "ann" && event.messageId == "edge-feedback-msg_bounce_1")
        let plan = try #require(try DeliveryFeedback.plan(for: event))
        #expect(plan.status == .bounced && plan.messageId == "welcome-ann/mail/0" && plan.reason == "550 5.1.1 no such user")
        #expect(plan.suppressionUpdates.count == 1)
        // A secret being rotated out still verifies.
        let older = try Self.signed(body, id: "msg_bounce_2", secret: Self.rotatedOut)
        #expect(await route.post(body, headers: older).status == 200)
        #expect(route.metrics.value(.edgeFeedbackWritten, ["route": "callbacks.feedback", "event": "Email Bounced"]) == 2)
    }

    @Test func everyDocumentedTypeMapsToItsFeedbackEvent() throws {
        let body = #"""
            [{"type":"complaint","userId":"u","address":"u@example.com"},
             {"type":"bounce","userId":"u","address":"u@example.com","bounceType":"soft"},
             {"type":"bounce","userId":"u","channel":"sms","address":"+4915112345678","bounceType":"hard"},
             {"type":"delivered","userId":"u","messageId":"k1"},
             {"type":"opened","userId":"u","messageId":"k1"},
             {"type":"clicked","userId":"u","messageId":"k1","url":"https://shop.example.com/p/1"},
             {"type":"failed","userId":"u","messageId":"k1","reason":"mailbox full"},
             {"type":"deferred","userId":"u","messageId":"k1","timestamp":"2026-11-30T10:00:00Z"}]
            """#
        let events = try FeedbackWebhook.events(body: Array(body.utf8), webhookId: "w1", now: Date())
        #expect(events.map { $0.event ?? "" } == [
            "Email Complained", "Email Bounced", "SMS Number Invalid", "Message Delivered", "Message Opened", "Message Clicked",
            "Message Failed", "Message Deferred",
        ])
        #expect(events.map(\.messageId) == (0..<8).map { "edge-feedback-w1-\($0)" })
        #expect(events[5].properties["url"]?.stringValue == "https://shop.example.com/p/1")
        #expect(events[7].timestamp == ISO8601.parse("2026-11-30T10:00:00Z"))
        let plans = try events.map { try DeliveryFeedback.plan(for: $0) }
        #expect(plans.map { $0?.status } == [nil, .deferred, .bounced, .delivered, .opened, .clicked, .failed, .deferred])
        // Same webhook id, same event ids: a redelivered webhook names the same events.
        #expect(try FeedbackWebhook.events(body: Array(body.utf8), webhookId: "w1", now: Date()).map(\.messageId) == events.map(\.messageId))
        #expect(throws: FeedbackWebhookError.invalidField(index: 0, field: "messageId", reason: "is required")) {
            try FeedbackWebhook.events(body: Array(#"{"type":"delivered","userId":"u"}"#.utf8), webhookId: "w", now: Date())
        }
        #expect(throws: FeedbackWebhookError.invalidField(index: 0, field: "bounceType", reason: "is required")) {
            try FeedbackWebhook.events(body: Array(#"{"type":"bounce","userId":"u","address":"a@b.c"}"#.utf8), webhookId: "w", now: Date())
        }
    }

    @Test func unsignedForgedStaleAndMalformedRequestsAreRefusedAndCounted() async throws {
        let route = try Route()
        let body = #"{"type":"complaint","userId":"ann","address":"ann@example.com"}"#
        #expect(await route.post(body, headers: [:]).status == 403)
        #expect(route.refused("unsigned") == 1)
        let forged = try Self.signed(body, secret: "whsec_" + Data("not-the-secret-at-all-0123456789".utf8).base64EncodedString())
        #expect(await route.post(body, headers: forged).status == 403)
        // A body changed after signing.
        let signed = try Self.signed(body)
        #expect(await route.post(body.replacingOccurrences(of: "ann@", with: "bob@"), headers: signed).status == 403)
        #expect(route.refused("bad_signature") == 2)
        // Outside the 5-minute tolerance either way: a replay of an old request, or a clock far ahead.
        let old = try Self.signed(body, at: Date().addingTimeInterval(-301))
        let ahead = try Self.signed(body, at: Date().addingTimeInterval(400))
        #expect(await route.post(body, headers: old).status == 403)
        #expect(await route.post(body, headers: ahead).status == 403)
        #expect(route.refused("stale") == 2)
        // Authentic but malformed: 400 naming the problem; wrong content type: 415.
        let bad = #"{"type":"exploded","userId":"ann"}"#
        let response = await route.post(bad, headers: try Self.signed(bad))
        #expect(response.status == 400 && String(decoding: response.body, as: UTF8.self).contains("type must be"))
        let notJSON = "type=complaint"
        #expect(await route.post(notJSON, headers: try Self.signed(notJSON)).status == 400)
        #expect(await route.post(body, headers: try Self.signed(body), contentType: "text/plain").status == 415)
        #expect(route.writer.feedbackEvents.isEmpty, "nothing refused was written")
        // Redis down: 503, so the provider retries.
        route.writer.fail(with: FixtureError.missing("redis down"))
        #expect(await route.post(body, headers: try Self.signed(body)).status == 503)
    }
}
