import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import Testing

/// The unsubscribe link's routes on in-memory storage: RFC 8058 one-click, the page in English and
/// Japanese, the preference form and what its events do to a suppression record, and every
/// refusal (forged, altered, expired, retired key, wrong body) writing nothing.
@Suite struct UnsubscribeRoutesTests {
    static let key = Array("unsubscribe-test-key-0123456789".utf8)
    static let oldKey = Array("retired-unsubscribe-key-98765432".utf8)

    struct Fixture {
        let writer = InMemoryEdgeStreamWriter()
        let reader = InMemoryEdgePreferenceReader()
        let router: HTTPRouter
        let signer: UnsubscribeSigner

        init(keys: [[UInt8]] = [UnsubscribeRoutesTests.key, UnsubscribeRoutesTests.oldKey]) throws {
            signer = try UnsubscribeSigner(keys: [UnsubscribeRoutesTests.key])
            let routes = UnsubscribeRoutes(
                signer: try UnsubscribeSigner(keys: keys), writer: writer, reader: reader, metrics: Metrics(),
                logger: Logger(service: "test", minimumLevel: .error))
            var router = HTTPRouter()
            routes.register(in: &router)
            self.router = router
        }

        func token(user: String = "u-ann", channel: Channel = .email, category: MessageCategory? = .marketing, issuedAt: Date = Date(), with signer: UnsubscribeSigner? = nil) -> String {
            (signer ?? self.signer).sign(UnsubscribeToken(userId: user, channel: channel, category: category, issuedAt: issuedAt))
        }

        func request(_ method: String, token: String?, body: String = "", type: String = "application/x-www-form-urlencoded", headers: [(String, String)] = []) -> HTTPRequest {
            var fields = headers
            if !body.isEmpty || method == "POST" { fields.append(("Content-Type", type)) }
            return HTTPRequest(
                method: method, path: "/unsubscribe", query: token.map { [("token", $0)] } ?? [], headers: HTTPHeaders(fields),
                body: Array(body.utf8))
        }

        var ingestedEvents: [Event] { writer.ingested.compactMap { try? Event.validate(payload: $0) } }
    }

    @Test func oneClickPostRecordsTheUnsubscribeAnswering200WithoutARedirect() async throws {
        let fixture = try Fixture()
        let token = fixture.token()
        let response = await fixture.router.respond(to: fixture.request("POST", token: token, body: "List-Unsubscribe=One-Click"))
        #expect(response.status == 200)
        #expect(response.headers["Location"] == nil)
        let events = fixture.ingestedEvents
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.event == "Unsubscribed" && event.userId == "u-ann")
        #expect(event.properties["channel"] == "email" && event.properties["category"] == "marketing")
        // The suppression the evaluator will record from it.
        let record = SuppressionRecord().applying(try FeedbackEvents.suppressionUpdates(for: event))
        #expect(record.blockingEntry(channel: .email, category: .marketing, address: nil)?.reason == .unsubscribed)
        #expect(record.blockingEntry(channel: .email, category: .transactional, address: nil) == nil)
        // A mail provider's retry posts the same link: the same message id, deduplicated at ingest.
        _ = await fixture.router.respond(to: fixture.request("POST", token: token, body: "List-Unsubscribe=One-Click"))
        #expect(Set(fixture.ingestedEvents.map(\.messageId)).count == 1)
    }

    @Test func oneClickAlsoArrivesAsMultipartFormData() async throws {
        let fixture = try Fixture()
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n"
        let response = await fixture.router.respond(to: fixture.request("POST", token: fixture.token(), body: body, type: "multipart/form-data; boundary=XyZ"))
        #expect(response.status == 200)
        #expect(fixture.ingestedEvents.map { $0.event } == ["Unsubscribed"])
    }

    @Test func forgedAlteredExpiredAndMissingTokensChangeNothingAndSaySo() async throws {
        let fixture = try Fixture()
        let good = fixture.token()
        let parts = good.split(separator: ".").map(String.init)
        // The payload of another user with the first user's signature.
        let other = fixture.token(user: "u-bob").split(separator: ".").map(String.init)
        let altered = other[0] + "." + parts[1]
        let forged = fixture.token(with: try UnsubscribeSigner(keys: [Array("an-attackers-own-key-000000000".utf8)]))
        let expired = fixture.token(issuedAt: Date().addingTimeInterval(-200 * 86_400))
        let cases: [(String?, Int)] = [(altered, 403), (forged, 403), ("not-a-token", 403), (parts[0], 403), (expired, 410), (nil, 400), ("", 400)]
        for (token, status) in cases {
            let post = await fixture.router.respond(to: fixture.request("POST", token: token, body: "List-Unsubscribe=One-Click"))
            #expect(post.status == status, "POST \(token ?? "nil")")
            let page = await fixture.router.respond(to: fixture.request("GET", token: token))
            #expect(page.status == status, "GET \(token ?? "nil")")
            #expect(String(decoding: page.body, as: UTF8.self).contains(status == 410 ? "expired" : "does not work"))
            let form = await fixture.router.respond(to: fixture.request("POST", token: token, body: "action=unsubscribe"))
            #expect(form.status == status)
        }
        #expect(fixture.writer.ingested.isEmpty)
    }

    @Test func aLinkSignedWithThePreviousKeyStillWorksAfterARotation() async throws {
        let fixture = try Fixture()
        let old = fixture.token(with: try UnsubscribeSigner(keys: [Self.oldKey]))
        #expect(await fixture.router.respond(to: fixture.request("POST", token: old, body: "List-Unsubscribe=One-Click")).status == 200)
        let retired = try Fixture(keys: [Self.key])
        #expect(await retired.router.respond(to: retired.request("POST", token: old, body: "List-Unsubscribe=One-Click")).status == 403)
        #expect(retired.writer.ingested.isEmpty)
    }

    @Test func wrongBodiesAreRefusedClearly() async throws {
        let fixture = try Fixture()
        let token = fixture.token()
        #expect(await fixture.router.respond(to: fixture.request("POST", token: token, body: "{\"a\":1}", type: "application/json")).status == 415)
        #expect(await fixture.router.respond(to: fixture.request("POST", token: token, body: "List-Unsubscribe=%ZZ")).status == 400)
        #expect(await fixture.router.respond(to: fixture.request("POST", token: token, body: "List-Unsubscribe=Two-Clicks")).status == 400)
        #expect(await fixture.router.respond(to: fixture.request("DELETE", token: token)).status == 405)
        #expect(fixture.writer.ingested.isEmpty)
    }

    @Test func thePageChangesNothingAndShowsWhatThePersonStillReceivesInTheirLanguage() async throws {
        let fixture = try Fixture()
        fixture.reader.set(SuppressionRecord(entries: [
            SuppressionEntry(channel: .sms, category: nil, reason: .unsubscribed, since: Date()),
            SuppressionEntry(channel: .email, address: "ann@example.com", reason: .hardBounce, since: Date()),
        ]), for: "u-ann")
        let english = await fixture.router.respond(to: fixture.request("GET", token: fixture.token(), headers: [("Accept-Language", "de-DE, en;q=0.8")]))
        #expect(english.status == 200)
        #expect(english.headers["Cache-Control"] == "no-store" && english.headers["Referrer-Policy"] == "no-referrer")
        let html = String(decoding: english.body, as: UTF8.self)
        #expect(html.contains("<html lang=\"en\">") && html.contains("News and offers") && html.contains("Unsubscribe"))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains(#"value="email:marketing" checked"#), "a bounce is not a choice")
        #expect(html.contains(#"value="sms:marketing">"#) && html.contains(#"value="sms:transactional">"#), "SMS is off for every category")
        #expect(html.contains(#"value="push:marketing" checked"#))
        let japanese = await fixture.router.respond(to: fixture.request("GET", token: fixture.token(), headers: [("Accept-Language", "ja-JP,ja;q=0.9,en;q=0.1")]))
        let japaneseHTML = String(decoding: japanese.body, as: UTF8.self)
        #expect(japaneseHTML.contains("<html lang=\"ja\">") && japaneseHTML.contains("配信を停止する") && japaneseHTML.contains("お知らせ・キャンペーン"))
        #expect(fixture.writer.ingested.isEmpty, "a GET (a mail scanner following the link) changes nothing")
        // An unreadable record still lets the person act, and the page says the boxes are the default.
        fixture.reader.fail(true)
        let unknown = await fixture.router.respond(to: fixture.request("GET", token: fixture.token()))
        #expect(unknown.status == 200 && String(decoding: unknown.body, as: UTF8.self).contains("could not be loaded"))
    }

    @Test func savedChoicesLeaveExactlyTheCheckedBoxesOnWhateverWasThereBefore() async throws {
        let fixture = try Fixture()
        let kept: Set<PreferenceChoice> = [
            PreferenceChoice(channel: .email, category: .transactional), PreferenceChoice(channel: .push, category: .marketing),
            PreferenceChoice(channel: .push, category: .transactional),
        ]
        let body = "action=save&" + kept.map { "keep=" + HTTPFormEncoding.escape($0.formValue) }.joined(separator: "&") + "&keep=bogus:thing"
        let response = await fixture.router.respond(to: fixture.request("POST", token: fixture.token(), body: body))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("Your choices are saved"))
        // Before: everything off for email (an "all" unsubscribe) and SMS marketing off.
        var record = SuppressionRecord(entries: [
            SuppressionEntry(channel: .email, category: nil, reason: .unsubscribed, since: Date()),
            SuppressionEntry(channel: .sms, category: .marketing, reason: .unsubscribed, since: Date()),
            SuppressionEntry(channel: .email, address: "ann@example.com", reason: .complaint, since: Date()),
        ])
        for event in fixture.ingestedEvents { record = record.applying(try FeedbackEvents.suppressionUpdates(for: event)) }
        #expect(PreferenceChoice.kept(by: record) == kept)
        #expect(record.entries.contains { $0.reason == .complaint }, "a complaint is not lifted by a preference")
    }

    @Test func whenRedisCannotTakeTheEventNothingIsClaimed() async throws {
        let fixture = try Fixture()
        fixture.writer.fail(with: RedisClientError.connectionFailed(address: "127.0.0.1:1", reason: "down"))
        let oneClick = await fixture.router.respond(to: fixture.request("POST", token: fixture.token(), body: "List-Unsubscribe=One-Click"))
        #expect(oneClick.status == 503)
        let page = await fixture.router.respond(to: fixture.request("POST", token: fixture.token(), body: "action=unsubscribe"))
        #expect(page.status == 503 && String(decoding: page.body, as: UTF8.self).contains("nothing was changed"))
    }

    @Test func localeChoiceFollowsTheLinkThenTheBrowser() {
        #expect(PreferenceLocale.choose(lang: "ja", acceptLanguage: "en") == .japanese)
        #expect(PreferenceLocale.choose(lang: "xx", acceptLanguage: "fr, ja;q=0.5, en;q=0.4") == .japanese)
        #expect(PreferenceLocale.choose(lang: nil, acceptLanguage: "ja;q=0, en-GB") == .english)
        #expect(PreferenceLocale.choose(lang: nil, acceptLanguage: nil) == .english)
        #expect(HTTPMultipartForm.fields(Array("no boundary".utf8), contentType: "multipart/form-data") == nil)
    }
}
