import Foundation
import HeraldCore
import HeraldTemplates
import Testing

/// The demo templates in `config/templates` load, render and follow the house rules.
struct ShippedTemplatesTests {
    static let library = Result { try TemplateLibrary(directory: TestPaths.templates) }
    static let marketingEmails = ["welcome", "cart-reminder", "review-request", "winback", "birthday"]

    static func context() throws -> JSONValue {
        let url = TestPaths.packageRoot.appendingPathComponent("config/samples/template-context.json")
        return try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    @Test func everyDemoMessageIsPresent() throws {
        let library = try Self.library.get()
        for name in Self.marketingEmails + ["cart-reminder-sms", "order-confirmation"] {
            #expect(library.messageNames.contains(name), "missing message template \(name)")
        }
    }

    @Test("Email templates have subject, text and html", arguments: marketingEmails + ["order-confirmation"])
    func emailHasAllParts(_ name: String) throws {
        let message = try Self.library.get().message(named: name, locale: nil)
        #expect(message.missingParts(for: .email).isEmpty)
        #expect(message.subject != nil && message.text != nil && message.html != nil)
        let rendered = try message.render(try Self.context())
        let subject = try #require(rendered.subject)
        #expect(!subject.isEmpty && !subject.contains("\n"))
        #expect(rendered.html?.hasPrefix("<!doctype html>") == true)
        #expect(rendered.html?.contains("Acme Coffee") == true)
        #expect(rendered.text?.contains("{{") == false)
    }

    @Test("Marketing emails carry the unsubscribe link in text and html", arguments: marketingEmails)
    func marketingHasUnsubscribe(_ name: String) throws {
        let rendered = try Self.library.get().message(named: name, locale: nil).render(try Self.context())
        // The text part is plain: the URL appears verbatim; the HTML part escapes '&'.
        #expect(rendered.text?.contains("https://herald.example.com/u/ana?t=abc&s=1") == true)
        #expect(rendered.html?.contains("https://herald.example.com/u/ana?t=abc&amp;s=1") == true)
    }

    @Test func transactionalEmailHasNoUnsubscribeFooter() throws {
        let rendered = try Self.library.get().message(named: "order-confirmation", locale: nil).render(try Self.context())
        #expect(rendered.html?.contains("Unsubscribe") == false)
        #expect(rendered.html?.contains("service message") == true)
        #expect(rendered.text?.contains("Total: 31.5 EUR") == true)
    }

    @Test func cartReminderListsItemsEscapedInHTMLOnly() throws {
        let rendered = try Self.library.get().message(named: "cart-reminder", locale: nil).render(try Self.context())
        let html = try #require(rendered.html)
        let text = try #require(rendered.text)
        #expect(html.contains("Filter papers &lt;100&gt;"))
        #expect(html.contains("2 × 3.75 EUR"))
        #expect(html.contains("href=\"https://shop.example.com/cart?c=8f3&amp;utm_source=herald\""))
        #expect(text.contains("- Espresso beans 1kg: 1 × 24 EUR\n- Filter papers <100>: 2 × 3.75 EUR\n"))
        #expect(text.contains("https://shop.example.com/cart?c=8f3&utm_source=herald"))
        #expect(rendered.subject == "Ana, your cart at Acme Coffee is waiting")
    }

    @Test func smsBodyIsOneTrimmedPlainLine() throws {
        let message = try Self.library.get().message(named: "cart-reminder-sms", locale: nil)
        #expect(message.missingParts(for: .sms).isEmpty)
        #expect(message.missingParts(for: .email) == ["subject", "text or html"])
        let body = try #require(try message.render(try Self.context()).body)
        #expect(body == "Acme Coffee: Ana, your cart is saved. Finish your order: "
            + "https://shop.example.com/cart?c=8f3&utm_source=herald Reply STOP to opt out.")
    }

    @Test func welcomeHasAJapaneseVariantWithLocalizedPartials() throws {
        let library = try Self.library.get()
        let japanese = try library.message(named: "welcome", locale: "ja_JP").render(try Self.context())
        #expect(japanese.subject == "Acme Coffeeへようこそ、Anaさん")
        #expect(japanese.html?.contains("配信停止") == true)
        #expect(japanese.text?.contains("配信停止: https://herald.example.com/u/ana?t=abc&s=1") == true)
        let fallback = try library.message(named: "welcome", locale: "pt-BR").render(try Self.context())
        #expect(fallback.subject == "Welcome to Acme Coffee, Ana!")
        #expect(fallback.html?.contains("Unsubscribe") == true)
    }

    @Test func layoutIndentsTheContentBlock() throws {
        let html = try #require(
            try Self.library.get().message(named: "welcome", locale: nil).render(try Self.context()).html)
        #expect(html.contains("\n            <h1 style=\"margin:0 0 16px;font-size:24px;\">Welcome, Ana!</h1>\n"))
        #expect(html.contains("<title>Welcome to Acme Coffee</title>"))
        #expect(html.contains("<a href=\"https://shop.example.com/start\""))
        #expect(html.hasSuffix("</html>\n"))
    }
}
