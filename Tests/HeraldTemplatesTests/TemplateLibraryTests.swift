import Foundation
import HeraldCore
import HeraldTemplates
import Testing

/// Loading a template directory, locale fallback, partial lookup and previews.
struct TemplateLibraryTests {
    /// A fresh temporary directory holding `files` (relative path → contents).
    static func directory(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("herald-templates-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    static let localized = [
        "hello.mustache": "Hello", "hello.pt.mustache": "Olá", "hello.pt-BR.mustache": "Oi",
        "hello.ja.mustache": "こんにちは", "v1.2.mustache": "dotted name",
    ]

    @Test("Locale fallback picks the most specific variant", arguments: [
        ("pt-BR", "Oi"), ("pt_BR", "Oi"), ("PT-br", "Oi"), ("pt_BR.UTF-8", "Oi"), ("pt-PT", "Olá"), ("pt", "Olá"),
        ("ja-JP", "こんにちは"), ("fr-CA", "Hello"), ("", "Hello"),
    ])
    func localeFallback(_ locale: String, _ expected: String) throws {
        let library = try TemplateLibrary(directory: try Self.directory(Self.localized))
        #expect(try library.template(named: "hello", locale: locale).render([:]) == expected)
    }

    @Test func nilLocaleIsTheDefaultAndDotsInNamesSurvive() throws {
        let library = try TemplateLibrary(directory: try Self.directory(Self.localized))
        #expect(try library.template(named: "hello", locale: nil).render([:]) == "Hello")
        #expect(try library.template(named: "v1.2", locale: "ja").render([:]) == "dotted name")
        #expect(library.names == ["hello", "v1.2"])
    }

    @Test func unknownTemplateIsAnError() throws {
        let library = try TemplateLibrary(directory: try Self.directory(Self.localized))
        #expect(throws: TemplateError.templateNotFound(name: "bye", locale: "ja", directory: library.directory.path)) {
            try library.template(named: "bye", locale: "ja")
        }
        #expect(throws: TemplateError.self) { try library.message(named: "hello", locale: nil) }
    }

    @Test func missingDirectoryIsAnError() {
        #expect(throws: TemplateError.fileNotFound(path: "/nonexistent/herald/templates")) {
            try TemplateLibrary(directory: URL(fileURLWithPath: "/nonexistent/herald/templates"))
        }
    }

    @Test func brokenTemplateFailsTheLoadWithFileAndLine() throws {
        let root = try Self.directory(["ok.mustache": "fine", "promo/html.mustache": "<p>\n{{#items}}\n"])
        #expect(throws: TemplateError.unclosedSection(template: "promo/html.mustache", line: 2, name: "items")) {
            try TemplateLibrary(directory: root)
        }
    }

    @Test func partialsComeFromThePartialsDirectoryFirstAndFollowTheLocale() throws {
        let root = try Self.directory([
            "note/body.mustache": "{{> sign}} {{> extra}}", "note/body.ja.mustache": "JA {{> sign}}",
            "partials/sign.mustache": "-- team", "partials/sign.ja.mustache": "-- チーム",
            "sign.mustache": "top-level sign", "extra.mustache": "top-level extra",
        ])
        let library = try TemplateLibrary(directory: root)
        #expect(try library.message(named: "note", locale: nil).render([:]).body == "-- team top-level extra")
        #expect(try library.message(named: "note", locale: "ja").render([:]).body == "JA -- チーム")
        #expect(try library.template(named: "sign")?.render([:]) == "-- team")
        #expect(try library.template(named: "nothing") == nil)
    }

    @Test func messagePartsFallBackIndependently() throws {
        let root = try Self.directory([
            "promo/subject.mustache": "Sale\n", "promo/subject.de.mustache": "Angebot für\n{{name}}\n",
            "promo/html.mustache": "<b>{{name}}</b>", "promo/text.mustache": "{{name}}",
            "push/title.mustache": "  {{name}}  ", "push/body.mustache": "Tap {{name}}\n\n",
        ])
        let library = try TemplateLibrary(directory: root)
        let german = try library.message(named: "promo", locale: "de-AT").render(["name": "Tom & Jerry"])
        #expect(german == RenderedMessage(subject: "Angebot für Tom & Jerry", text: "Tom & Jerry",
                                          html: "<b>Tom &amp; Jerry</b>"))
        let push = try library.message(named: "push", locale: nil)
        #expect(push.missingParts(for: .push).isEmpty)
        #expect(try push.render(["name": "<me>"]) == RenderedMessage(title: "<me>", body: "Tap <me>"))
        #expect(library.messageNames == ["promo", "push"])
    }

    @Test func previewRendersAFileWithPartialsBesideIt() throws {
        let root = try Self.directory([
            "partials/layout.mustache": "<main>{{$content}}{{/content}}</main>",
            "welcome/html.mustache": "{{<layout}}{{$content}}Hi {{name}}{{/content}}{{/layout}}",
            "welcome/text.mustache": "Hi {{name}}", "data.json": "{\"name\": \"A&B\"}",
        ])
        let data = root.appendingPathComponent("data.json")
        let html = try TemplateLibrary.renderPreview(
            templateFile: root.appendingPathComponent("welcome/html.mustache"), data: data, partialsDirectory: nil)
        #expect(html == "<main>Hi A&amp;B</main>")
        let text = try TemplateLibrary.renderPreview(
            templateFile: root.appendingPathComponent("welcome/text.mustache"), data: data,
            partialsDirectory: root.appendingPathComponent("partials"))
        #expect(text == "Hi A&B")
    }

    @Test func previewErrorsNameTheFileAndLine() throws {
        let root = try Self.directory([
            "t.mustache": "ok\n{{#a}}", "good.mustache": "{{a}}", "bad.json": "{\n  \"a\": 1,\n  oops\n}",
        ])
        let template = root.appendingPathComponent("t.mustache")
        let good = root.appendingPathComponent("good.mustache")
        let badData = root.appendingPathComponent("bad.json")
        #expect(throws: TemplateError.unclosedSection(template: template.path, line: 2, name: "a")) {
            try TemplateLibrary.renderPreview(templateFile: template, data: badData, partialsDirectory: nil)
        }
        do {
            _ = try TemplateLibrary.renderPreview(templateFile: good, data: badData, partialsDirectory: nil)
            Issue.record("expected invalid JSON to fail")
        } catch {
            guard case .invalidData(let path, let line, let column, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == badData.path && line == 3 && column == 3)
            #expect(error.description.hasPrefix("\(badData.path):3:3: invalid JSON"))
        }
        let missing = root.appendingPathComponent("missing.json")
        #expect(throws: TemplateError.fileNotFound(path: missing.path)) {
            try TemplateLibrary.renderPreview(templateFile: good, data: missing, partialsDirectory: nil)
        }
    }
}
