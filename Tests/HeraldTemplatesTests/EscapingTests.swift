import HeraldCore
import HeraldTemplates
import Testing

/// Escaping modes and how values print.
struct EscapingTests {
    let data: JSONValue = ["x": "<a href=\"/?a=1&b='2'\">", "n": 85, "d": 1.21, "neg": -3, "t": true, "nothing": nil]

    @Test func htmlEscapesAllFiveCharacters() throws {
        let rendered = try Template(source: "{{x}}").render(data)
        #expect(rendered == "&lt;a href=&quot;/?a=1&amp;b=&#39;2&#39;&quot;&gt;")
    }

    @Test func tripleMustacheAndAmpersandNeverEscape() throws {
        #expect(try Template(source: "{{{x}}}|{{& x}}").render(data) == "<a href=\"/?a=1&b='2'\">|<a href=\"/?a=1&b='2'\">")
    }

    @Test func noneLeavesTextAlone() throws {
        #expect(try Template(source: "{{x}}").render(data, escaping: .none) == "<a href=\"/?a=1&b='2'\">")
    }

    @Test func jsonEscapingProducesValidJSON() throws {
        let source = "{\"text\": \"{{x}}\", \"line\": \"{{line}}\"}"
        let rendered = try Template(source: source).render(["x": "say \"hi\" \\ o/", "line": "a\nb\u{1}"], escaping: .json)
        #expect(rendered == "{\"text\": \"say \\\"hi\\\" \\\\ o/\", \"line\": \"a\\nb\\u0001\"}")
        #expect(try JSONValue.parse(rendered)["line"] == .string("a\nb\u{1}"))
    }

    @Test func numbersAndBooleansPrintLikeJSON() throws {
        #expect(try Template(source: "{{n}} {{d}} {{neg}} {{t}} [{{nothing}}] [{{missing}}]").render(data)
            == "85 1.21 -3 true [] []")
    }

    @Test func emptyStringIsFalseyButZeroIsNot() throws {
        let template = try Template(source: "{{#s}}S{{/s}}{{^s}}no-s{{/s}} {{#z}}zero={{z}}{{/z}}")
        #expect(try template.render(["s": "", "z": 0]) == "no-s zero=0")
        #expect(try template.render(["s": "x", "z": 0]) == "S zero=0")
    }

    @Test func dottedNamesIndexArrays() throws {
        #expect(try Template(source: "{{items.1.name}}").render(["items": [["name": "a"], ["name": "b"]]]) == "b")
    }

    @Test func renderingIsRepeatableFromOneParse() throws {
        let template = try Template(source: "{{#list}}{{.}},{{/list}}")
        for count in 0..<5 {
            let list = JSONValue.array((0..<count).map { .number(Double($0)) })
            #expect(try template.render(["list": list]) == (0..<count).map { "\($0)," }.joined())
        }
    }
}
