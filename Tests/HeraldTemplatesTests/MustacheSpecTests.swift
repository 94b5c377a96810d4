import Foundation
import HeraldCore
import HeraldTemplates
import Testing

/// Runs every case of the official Mustache spec (read from `../shared/mustache-spec` at test time).
struct MustacheSpecTests {
    static let specFiles = [
        "comments", "delimiters", "interpolation", "inverted", "partials", "sections", "~inheritance",
        "~dynamic-names",
    ]

    @Test("Mustache spec file renders every case exactly", arguments: specFiles)
    func specFile(_ file: String) throws {
        let url = TestPaths.mustacheSpec.appendingPathComponent(file + ".json")
        let document = try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        let cases = try #require(document["tests"]?.arrayValue, "\(file).json has no tests array")
        #expect(!cases.isEmpty)
        for specCase in cases {
            let name = specCase["name"]?.stringValue ?? "?"
            let source = try #require(specCase["template"]?.stringValue)
            let expected = try #require(specCase["expected"]?.stringValue)
            var partials: [String: String] = [:]
            for (key, value) in specCase["partials"]?.objectValue ?? [:] { partials[key] = value.stringValue }
            let rendered = try Template(source: source, name: name).render(
                specCase["data"] ?? .null, partials: partials)
            #expect(rendered == expected, "\(file) — \(name): \(specCase["desc"]?.stringValue ?? "")")
        }
    }
}
