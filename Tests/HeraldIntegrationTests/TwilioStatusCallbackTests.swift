import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldTestSupport
import Testing

/// `X-Twilio-Signature` checks and the `POST /callbacks/twilio` route, against Twilio's documented
/// example and Twilio's own Python helper (`RequestValidator`).
@Suite struct TwilioStatusCallbackTests {
    static let token = "twilio-auth-token-1"
    static let base = "https://edge.herald.test"

    /// Twilio's documented example (auth token 12345), the value its helpers are tested with.
    @Test func theDocumentedExampleSignatureIsReproduced() {
        let parameters: [(name: String, value: String)] = [
            ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"), ("To", "+18005551212"),
        ]
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(TwilioSignature.compute(authToken: "12345", url: url, parameters: parameters) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        #expect(TwilioSignature.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authTokens: ["other", "12345"], url: url, parameters: parameters))
        #expect(!TwilioSignature.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authTokens: ["other"], url: url, parameters: parameters))
        #expect(!TwilioSignature.isValid(signature: nil, authTokens: ["12345"], url: url, parameters: parameters))
        // One changed parameter value, or the URL without its query, breaks it.
        var altered = parameters
        altered[2].value = "1235"
        #expect(!TwilioSignature.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authTokens: ["12345"], url: url, parameters: altered))
        #expect(!TwilioSignature.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authTokens: ["12345"], url: "https://mycompany.com/myapp.php", parameters: parameters))
    }

    @Test func signaturesMatchTwilioOwnValidatorForAStatusCallback() throws {
        let url = Self.base + "/callbacks/twilio?u=ann%40example.com&k=welcome-u+1%2Ftext%2F0&c=sms"
        let params = ["MessageSid": "SM0123456789abcdef0123456789abcdef", "MessageStatus": "delivered", "To": "+4915112345678",
                      "AccountSid": "ACtest", "ApiVersion": "2010-04-01", "Body": "Grüße & ünïcödé 🎉", "SmsStatus": "delivered"]
        let expected = try PythonScript.twilioSignature(token: Self.token, url: url, params: params)
        #expect(TwilioSignature.compute(authToken: Self.token, url: url, parameters: params.map { (name: $0.key, value: $0.value) }) == expected)
    }

    @Test func formBodiesDecodeAndBadEscapesAreRefused() throws {
        let pairs = try #require(HTTPFormEncoding.decodeStrictly(Array("a=1&b=x+y%26z&empty=&c%C3%BC=%F0%9F%8E%89".utf8)))
        #expect(pairs.map(\.name) == ["a", "b", "empty", "cü"])
        #expect(pairs.map(\.value) == ["1", "x y&z", "", "🎉"])
        #expect(HTTPFormEncoding.decodeStrictly(Array("a=%G1".utf8)) == nil)
        #expect(HTTPFormEncoding.decodeStrictly(Array("a=%4".utf8)) == nil)
        #expect(HTTPFormEncoding.decodeStrictly(Array("a=%FF".utf8)) == nil, "not UTF-8")
    }

    @Test func statusesMapToTheDocumentedFeedbackEvents() throws {
        let query: [(name: String, value: String)] = [("u", "ann"), ("k", "welcome-ann/text/0"), ("c", "sms")]
        func event(_ status: String, code: String? = nil) throws -> Event? {
            var form: [(name: String, value: String)] = [("MessageSid", "SM1"), ("MessageStatus", status), ("To", "+4915112345678")]
            if let code { form.append(("ErrorCode", code)) }
            return try TwilioStatusCallback.event(parameters: form, query: query, at: Date())
        }
        let delivered = try #require(try event("delivered"))
        #expect(delivered.event == "Message Delivered" && delivered.userId == "ann")
        #expect(delivered.properties["messageId"]?.stringValue == "welcome-ann/text/0" && delivered.properties["channel"]?.stringValue == "sms")
        #expect(delivered.messageId == "edge-twilio-SM1-delivered")
        let failed = try #require(try event("undelivered", code: "30008"))
        #expect(failed.event == "Message Failed" && failed.properties["reason"]?.stringValue == "twilio error 30008")
        let invalid = try #require(try event("failed", code: "30006"))
        #expect(invalid.event == "SMS Number Invalid" && invalid.properties["phone"]?.stringValue == "+4915112345678")
        #expect(try event("sent") == nil && event("queued") == nil, "intermediate statuses are not feedback")
        // The plan the evaluator applies from them.
        #expect(try DeliveryFeedback.plan(for: delivered)?.status == .delivered)
        #expect(try DeliveryFeedback.plan(for: failed)?.status == .failed)
        let invalidPlan = try #require(try DeliveryFeedback.plan(for: invalid))
        #expect(invalidPlan.status == .bounced && invalidPlan.messageId == "welcome-ann/text/0" && !invalidPlan.suppressionUpdates.isEmpty)
        #expect(throws: TwilioStatusCallbackError.missingQueryParameter("k")) {
            try TwilioStatusCallback.event(parameters: [("MessageSid", "SM1"), ("MessageStatus", "delivered")], query: [("u", "ann")], at: Date())
        }
    }

    // MARK: The route

    struct Route {
        let writer = InMemoryEdgeStreamWriter()
        let metrics = Metrics()
        var router = HTTPRouter()

        init(tokens: [String] = ["rotated-out-token", TwilioStatusCallbackTests.token]) {
            TwilioStatusCallback(
                authTokens: tokens.map { Secret($0) }, publicURL: TwilioStatusCallbackTests.base + "/", writer: writer, metrics: metrics,
                logger: Logger(service: "test", minimumLevel: .error)
            ).register(in: &router)
        }

        func post(_ form: [(String, String)], query: [(name: String, value: String)], signature: String?) async -> HTTPResponse {
            var headers = HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")])
            if let signature { headers.add("X-Twilio-Signature", signature) }
            let body = form.map { HTTPFormEncoding.escape($0.0) + "=" + HTTPFormEncoding.escape($0.1) }.joined(separator: "&")
            // The target as Twilio sends it: the query exactly as the SMS sender encoded it.
            let target = "/callbacks/twilio" + (query.isEmpty ? "" : "?" + HTTPFormEncoding.encode(query))
            return await router.respond(to: HTTPRequest(
                method: "POST", path: "/callbacks/twilio", query: query, headers: headers, body: Array(body.utf8), target: target))
        }

        func refused(_ reason: String) -> Double {
            metrics.value(.edgeCallbacksRefused, ["route": "callbacks.twilio", "reason": reason])
        }
    }

    @Test func aSignedCallbackBecomesFeedbackAndForgedOnesAre403AndCounted() async throws {
        let route = Route()
        let message = OutboundMessage(channel: .sms, idempotencyKey: "welcome-ann/text/0", userId: "ann@example.com", recipient: "+4915112345678")
        // The URL the SMS sender hands Twilio, as Twilio calls it back.
        let callback = TwilioSMSProvider.statusCallbackURL(Self.base + "/callbacks/twilio", for: message)
        let queryText = try #require(callback.split(separator: "?").last)
        let query = try #require(HTTPFormEncoding.decodeStrictly(Array(queryText.utf8)))
        let form = [("MessageSid", "SM42"), ("MessageStatus", "delivered"), ("To", "+4915112345678"), ("AccountSid", "ACtest")]
        let signature = try PythonScript.twilioSignature(token: Self.token, url: callback, params: Dictionary(uniqueKeysWithValues: form))

        let accepted = await route.post(form, query: query, signature: signature)
        #expect(accepted.status == 200)
        let event = try #require(route.writer.feedbackEvents.first)
        #expect(route.writer.feedbackEvents.count == 1)
        #expect(event.event == "Message Delivered" && event.userId == "ann@example.com")
        #expect(event.properties["messageId"]?.stringValue == "welcome-ann/text/0")
        #expect(route.writer.ingested.isEmpty, "provider feedback never goes through producer ingest")

        #expect(await route.post(form, query: query, signature: nil).status == 403)
        #expect(route.refused("unsigned") == 1)
        // Signed by someone without the token, or with a query changed to another user.
        let forged = try PythonScript.twilioSignature(token: "guessed", url: callback, params: Dictionary(uniqueKeysWithValues: form))
        #expect(await route.post(form, query: query, signature: forged).status == 403)
        var otherUser = query
        otherUser[0].value = "mallory"
        #expect(await route.post(form, query: otherUser, signature: signature).status == 403)
        var otherStatus = form
        otherStatus[1].1 = "failed"
        #expect(await route.post(otherStatus, query: query, signature: signature).status == 403)
        #expect(route.refused("bad_signature") == 3)
        #expect(route.writer.feedbackEvents.count == 1, "nothing refused was written")
    }

    @Test func badRequestsGetClear4xxAndRedisDownIs503() async throws {
        let route = Route()
        let query: [(name: String, value: String)] = [("u", "ann"), ("k", "k1"), ("c", "sms")]
        let url = Self.base + "/callbacks/twilio?u=ann&k=k1&c=sms"
        let queued = [("MessageSid", "SM1"), ("MessageStatus", "queued")]
        let signed = { (form: [(String, String)]) in TwilioSignature.compute(authToken: Self.token, url: url, parameters: form.map { (name: $0.0, value: $0.1) }) }
        // An intermediate status is answered and writes nothing.
        #expect(await route.post(queued, query: query, signature: signed(queued)).status == 200)
        #expect(route.writer.feedbackEvents.isEmpty)
        // A signed callback on a URL Herald did not build (no u/k/c) is a 400.
        let bare = TwilioSignature.compute(authToken: Self.token, url: Self.base + "/callbacks/twilio", parameters: [("MessageSid", "SM1"), ("MessageStatus", "delivered")])
        #expect(await route.post([("MessageSid", "SM1"), ("MessageStatus", "delivered")], query: [], signature: bare).status == 400)
        #expect(route.refused("no_delivery") == 1)
        // Wrong content type, malformed form.
        let json = await route.router.respond(to: HTTPRequest(
            method: "POST", path: "/callbacks/twilio", headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array("{}".utf8)))
        #expect(json.status == 415)
        let malformed = await route.router.respond(to: HTTPRequest(
            method: "POST", path: "/callbacks/twilio", headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]), body: Array("a=%zz".utf8)))
        #expect(malformed.status == 400)
        #expect(await route.router.respond(to: HTTPRequest(method: "GET", path: "/callbacks/twilio")).status == 405)
        // Redis refusing the write: 503, so Twilio may try again; nothing claimed accepted.
        route.writer.fail(with: FixtureError.missing("redis down"))
        let delivered = [("MessageSid", "SM1"), ("MessageStatus", "delivered")]
        let down = await route.post(delivered, query: query, signature: signed(delivered))
        #expect(down.status == 503 && !String(decoding: down.body, as: UTF8.self).contains("redis"))
    }
}
