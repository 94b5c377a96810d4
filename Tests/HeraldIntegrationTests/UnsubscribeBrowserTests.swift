import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// The unsubscribe link of a real marketing email, end to end through the fleet and `herald-edge`:
/// headless Chromium (Debian's) loads the preference page from the email's `List-Unsubscribe`
/// link in Japanese and English, unticks email offers and saves; a second person's mail client
/// sends the RFC 8058 one-click POST. Each suppression lands in Redis and the next marketing email
/// to each is suppressed. Screenshots are kept in `.herald/screenshots/`.
@Suite struct UnsubscribeBrowserTests {
    static let screenshots = Executables.packageRoot.appendingPathComponent(".herald/screenshots")

    /// Loads the page in Chromium: a Japanese screenshot, then in English unticks `email:marketing`,
    /// saves, and screenshots the confirmation. Prints what it saw as JSON.
    static let browserScript = """
        import json, sys
        from playwright.sync_api import sync_playwright
        args = json.load(sys.stdin)
        out = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            ja = browser.new_context(locale="ja-JP", extra_http_headers={"Accept-Language": "ja-JP,ja;q=0.9"})
            page = ja.new_page()
            page.goto(args["url"])
            out["ja_title"] = page.inner_text("h1")
            out["ja_scripts"] = page.evaluate("document.scripts.length")
            page.screenshot(path=args["dir"] + "/preference-page-ja.png", full_page=True)
            en = browser.new_context(locale="en-US", java_script_enabled=False)
            page = en.new_page()
            page.goto(args["url"])
            out["en_title"] = page.inner_text("h1")
            page.screenshot(path=args["dir"] + "/preference-page-en.png", full_page=True)
            page.uncheck("input[value='email:marketing']")
            page.click("button[value='save']")
            page.wait_for_selector("text=Your choices are saved")
            out["saved"] = page.inner_text("body")
            page.screenshot(path=args["dir"] + "/preference-page-saved-en.png", full_page=True)
            browser.close()
        print(json.dumps(out))
        """

    @Test func aPreferenceSavedInChromiumAndAOneClickPostEachSuppressTheNextMarketingEmail() async throws {
        let smtp = try await FleetPeer.smtp()
        let fleet = try FleetHarness(journeys: [DeliveryFeedbackTests.promo])
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let edgePort = try FreePort.find()
        let shared = [
            "HERALD_UNSUBSCRIBE_SECRET": "browser-test-unsubscribe-" + UUID().uuidString,
            // One-click needs an https: link (RFC 8058); the load balancer that terminates TLS for
            // it is played by the test, which sends the link's path and query to the edge.
            "HERALD_UNSUBSCRIBE_URL": "https://links.herald.test/unsubscribe",
        ]
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", shared.merging([
            "HERALD_SMTP_URL": "smtp://127.0.0.1:\(smtp.port)?tls=none", "HERALD_EMAIL_FROM": "shop@herald.test",
        ]) { _, new in new })
        let edge = try fleet.start("herald-edge", shared.merging(["HERALD_EDGE_HOST": "127.0.0.1", "HERALD_EDGE_PORT": String(edgePort)]) { _, new in new })
        #expect(try await eventually { LoopbackHTTP.get(port: edgePort, "/readyz")?.status == 200 }, "\(edge.log)")

        try await fleet.produce(connection, [
            TestJourneys.identify("gus", messageId: "i-gus"), TestJourneys.identify("hal", messageId: "i-hal"),
            TestJourneys.track("gus", "Promo Viewed", messageId: "p-gus-1"), TestJourneys.track("hal", "Promo Viewed", messageId: "p-hal-1"),
        ])
        #expect(try await eventually(timeout: 30) { try smtp.records().count == 2 })
        func link(to address: String) throws -> String {
            let mail = try #require(try smtp.records().first { $0["rcpt_tos"] == .array([.string(address)]) })
            let header = try #require(mail["headers"]?["list-unsubscribe"]?.stringValue)
            #expect(mail["headers"]?["list-unsubscribe-post"]?.stringValue == "List-Unsubscribe=One-Click")
            let url = String(try #require(header.split(separator: ">").first).dropFirst())
            #expect(url.hasPrefix("https://links.herald.test/unsubscribe?token="))
            return String(url.dropFirst("https://links.herald.test".count))
        }

        // gus: the page, in a real browser.
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let seen = try PythonScript.run(Self.browserScript, input: ["url": .string("http://127.0.0.1:\(edgePort)" + (try link(to: "gus@example.com"))), "dir": .string(Self.screenshots.path)])
        #expect(seen["ja_title"]?.stringValue == "配信設定")
        #expect(seen["ja_scripts"]?.numberValue == 0)
        #expect(seen["en_title"]?.stringValue == "Your message preferences")
        let saved = seen["saved"]?.stringValue ?? ""
        #expect(saved.contains("Email: Account and order messages") && !saved.contains("Email: News and offers"), "\(saved)")
        for name in ["preference-page-ja.png", "preference-page-en.png", "preference-page-saved-en.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: Self.screenshots.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "screenshot \(name) is \(size) bytes")
        }

        // hal: the mail client's one-click POST to the link as it stands in the header.
        let target = try link(to: "hal@example.com")
        let post = RawHTTPConnection(port: edgePort)?.request(
            "POST", target, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("List-Unsubscribe=One-Click".utf8))
        #expect(post?.status == 200 && post?.header("Location") == nil)

        for user in ["gus", "hal"] {
            let key = fleet.keyspace.suppression(fleet.keyspace.partition(ofUser: user), user: user)
            #expect(try await eventually(timeout: 20) {
                let record = try await connection.send("GET", key).string ?? ""
                return record.contains(#""reason":"unsubscribed""#) && record.contains(#""channel":"email""#) && record.contains(#""category":"marketing""#)
            }, "\(user)'s unsubscribe reached the suppression record")
        }
        try await fleet.produce(connection, [
            TestJourneys.track("gus", "Promo Viewed", messageId: "p-gus-2"), TestJourneys.track("hal", "Promo Viewed", messageId: "p-hal-2"),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "suppressed" }.count == 2 })
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.filter { $0["status"] == "suppressed" }.allSatisfy { $0["reason"] == "unsubscribed" })
        #expect(try smtp.records().count == 2, "no further email went out")
        _ = fleet.stopAll()
    }
}
