import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldTestSupport
import Testing

/// Signed click and open links: tokens, the HTML rewriter, and the `/c` and `/o` routes.
@Suite struct TrackedLinkTests {
    static let signer = TrackedLinkSigner(secrets: [Secret("link-secret-new"), Secret("link-secret-old")])!
    static let rewriter = TrackedLinkRewriter(baseURL: "https://edge.herald.test/", signer: signer, untrackedPrefixes: ["https://herald.test/unsubscribe"])
    static let click = TrackedLink(kind: .click, url: "https://shop.example.com/p/1?utm=a&b=c", userId: "ann", messageKey: "promo-ann/mail/0", journey: "promo", template: "promo-mail")

    @Test func tokensVerifyUnderEverySecretAndRefuseAnyChange() throws {
        let token = Self.signer.token(for: Self.click)
        #expect(Self.signer.verify(token) == Self.click)
        // Signed with a secret that is now second in the list (rotation): still valid.
        let older = try #require(TrackedLinkSigner(secrets: [Secret("link-secret-old")]))
        #expect(Self.signer.verify(older.token(for: Self.click)) == Self.click)
        // Another secret, an altered payload, a truncated signature, no signature.
        let stranger = try #require(TrackedLinkSigner(secrets: [Secret("someone-else")]))
        #expect(Self.signer.verify(stranger.token(for: Self.click)) == nil)
        let parts = token.split(separator: ".").map(String.init)
        var evil = Self.click
        evil.url = "https://evil.example.net/"
        let evilPayload = try #require(Self.signer.token(for: evil).split(separator: ".").first)
        #expect(Self.signer.verify(evilPayload + "." + parts[1]) == nil)
        #expect(Self.signer.verify(parts[0] + "." + parts[1].dropLast(2)) == nil)
        #expect(Self.signer.verify(parts[0]) == nil && Self.signer.verify("") == nil && Self.signer.verify("a.b.c") == nil)
        #expect(TrackedLinkSigner(secrets: []) == nil, "no secret, no tracking")
    }

    @Test func theRewriterTracksHTTPLinksOnlyAndAddsThePixel() throws {
        let html = """
            <html><body><p><a href="https://shop.example.com/p/1?utm=a&amp;b=c">Shop</a>
            <A class="x" HREF='http://blog.example.com/'>Blog</A>
            <a href="mailto:help@example.com">Mail</a> <a href="tel:+4930123">Call</a> <a href="#top">Top</a>
            <a href="/relative">Rel</a> <a href="https://herald.test/unsubscribe?token=abc">Unsubscribe</a>
            <a data-herald-track="off" href="https://shop.example.com/private">Private</a>
            <a href="https://shop.example.com/account" data-herald-track="off">Account</a></p></BODY></html>
            """
        let out = Self.rewriter.rewrite(html: html, userId: "ann", messageKey: "promo-ann/mail/0", journey: "promo", template: "promo-mail", clicks: true, opens: true)
        let tokens = out.matches(of: /https:\/\/edge\.herald\.test\/c\/([A-Za-z0-9_.-]+)/).map { String($0.output.1) }
        #expect(tokens.count == 2)
        let links = tokens.compactMap { Self.signer.verify($0) }
        #expect(links.map { $0.url ?? "" } == ["https://shop.example.com/p/1?utm=a&b=c", "http://blog.example.com/"], "entities decoded before signing")
        #expect(links.allSatisfy { $0.userId == "ann" && $0.messageKey == "promo-ann/mail/0" && $0.journey == "promo" && $0.template == "promo-mail" })
        for kept in ["mailto:help@example.com", "tel:+4930123", "\"#top\"", "\"/relative\"", "https://herald.test/unsubscribe?token=abc", "https://shop.example.com/private", "https://shop.example.com/account"] {
            #expect(out.contains(kept), "\(kept) left as it was")
        }
        let pixel = try #require(out.firstMatch(of: /<img src="https:\/\/edge\.herald\.test\/o\/([A-Za-z0-9_.-]+)\.gif" width="1" height="1"/))
        #expect(Self.signer.verify(String(pixel.output.1))?.kind == .open)
        #expect(out.hasSuffix("Account</a></p><img src=\"https://edge.herald.test/o/\(pixel.output.1).gif\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;width:1px;height:1px\"></BODY></html>"))
        // Opt-in: nothing asked, nothing changed; opens only adds the pixel and keeps the links.
        #expect(Self.rewriter.rewrite(html: html, userId: "ann", messageKey: "k", journey: "j", template: "t", clicks: false, opens: false) == html)
        let opensOnly = Self.rewriter.rewrite(html: html, userId: "ann", messageKey: "k", journey: "j", template: "t", clicks: false, opens: true)
        #expect(opensOnly.contains("https://shop.example.com/p/1?utm=a&amp;b=c") && opensOnly.contains("/o/"))
    }

    struct Route {
        let writer = InMemoryEdgeStreamWriter()
        let metrics = Metrics()
        var router = HTTPRouter()

        init() {
            TrackedLinkRoutes(signer: TrackedLinkTests.signer, writer: writer, metrics: metrics, logger: Logger(service: "test", minimumLevel: .error))
                .register(in: &router)
        }

        func get(_ path: String, method: String = "GET") async -> HTTPResponse {
            await router.respond(to: HTTPRequest(method: method, path: path))
        }
    }

    @Test func aSignedClickRedirectsAndReportsAnAlteredOneIsRefusedWithoutRedirect() async throws {
        let route = Route()
        let token = Self.signer.token(for: Self.click)
        let response = await route.get("/c/" + token)
        #expect(response.status == 302 && response.headers["Location"] == "https://shop.example.com/p/1?utm=a&b=c")
        let event = try #require(route.writer.feedbackEvents.first)
        #expect(event.event == "Message Clicked" && event.userId == "ann" && event.properties["url"]?.stringValue == "https://shop.example.com/p/1?utm=a&b=c")
        let plan = try #require(try DeliveryFeedback.plan(for: event))
        #expect(plan.status == .clicked && plan.channel == .email && plan.messageId == "promo-ann/mail/0")
        // A HEAD (a link checker) redirects without counting a click.
        #expect(await route.get("/c/" + token, method: "HEAD").status == 302)
        #expect(route.writer.feedbackEvents.count == 1)
        // Altered or unsigned: 403, no Location, nothing written.
        var evil = Self.click
        evil.url = "https://evil.example.net/"
        let stranger = TrackedLinkSigner(secrets: [Secret("someone-else")])!
        for path in ["/c/" + stranger.token(for: evil), "/c/" + token.dropLast(), "/c/https%3A%2F%2Fevil.example.net", "/c/" + Self.signer.token(for: TrackedLink(kind: .open, userId: "ann", messageKey: "k", journey: "j", template: "t"))] {
            let refused = await route.get(path)
            #expect(refused.status == 403 && refused.headers["Location"] == nil, "\(path)")
        }
        #expect(route.metrics.value(.edgeCallbacksRefused, ["route": "links.click", "reason": "bad_signature"]) == 4)
        #expect(route.writer.feedbackEvents.count == 1)
    }

    @Test func theOpenPixelIsATransparentGIFAndReportsAnOpen() async throws {
        let route = Route()
        let open = TrackedLink(kind: .open, userId: "ann", messageKey: "promo-ann/mail/0", journey: "promo", template: "promo-mail")
        let response = await route.get("/o/" + Self.signer.token(for: open) + ".gif")
        #expect(response.status == 200 && response.headers["Content-Type"] == "image/gif")
        #expect(response.body.starts(with: Array("GIF89a".utf8)) && response.body.last == 0x3B)
        #expect(Array(response.body[6..<10]) == [1, 0, 1, 0], "1×1")
        let event = try #require(route.writer.feedbackEvents.first)
        let plan = try DeliveryFeedback.plan(for: event)
        #expect(event.event == "Message Opened" && plan?.status == .opened)
        #expect(await route.get("/o/" + Self.signer.token(for: open)).status == 404, "no .gif")
        #expect(await route.get("/o/" + Self.signer.token(for: Self.click) + ".gif").status == 403, "a click token is not a pixel")
        // Redis down: the person still gets the image.
        route.writer.fail(with: FixtureError.missing("redis down"))
        #expect(await route.get("/o/" + Self.signer.token(for: open) + ".gif").status == 200)
    }
}

/// Secret lists for rotation, from the environment and from files.
@Suite struct EdgeSecretListTests {
    @Test func listsSingleValuesAndFilesAreReadInOrder() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edge-secret-list-\(UUID().uuidString.prefix(8))")
        try Data("first-line\n\nsecond-line\r\n".utf8).write(to: file)
        #expect(try EdgeSecretList.read("X_SECRET", environment: ["X_SECRETS_FILE": file.path]).map { $0.reveal() } == ["first-line", "second-line"])
        #expect(try EdgeSecretList.read("X_SECRET", environment: ["X_SECRETS": "a, b,,c", "X_SECRET": "d"]).map { $0.reveal() } == ["a", "b", "c", "d"])
        #expect(try EdgeSecretList.read("X_SECRET", environment: [:]).isEmpty)
        #expect(throws: CredentialError.self) { try EdgeSecretList.read("X_SECRET", environment: ["X_SECRET": "a", "X_SECRET_FILE": file.path]) }
    }
}
