import HeraldCore
import Testing

@Suite struct JSONValueTests {
    @Test func parsesEveryKindAndPrintsCompactSortedJSON() throws {
        let value = try JSONValue.parse(#" {"b": [1, 2.5, -3e2, true, false, null], "a": "x\"y\\z\u00e9\ud83d\ude00", "c": {}} "#)
        #expect(value["a"] == .string("x\"y\\zé😀"))
        #expect(value["b"] == [1, 2.5, -300, true, false, nil])
        #expect(value.serialized() == #"{"a":"x\"y\\zé😀","b":[1,2.5,-300,true,false,null],"c":{}}"#)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "\"\\x\"", "\"\u{01}\"", "{\"a\":1} x", "\"\\ud800\"", "-",
    ])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test func followsDottedPathsThroughObjectsAndArrays() throws {
        let value = try JSONValue.parse(#"{"cart":{"items":[{"sku":"A"},{"sku":"B"}]}}"#)
        #expect(value.value(atPath: "cart.items.1.sku") == "B")
        #expect(value.value(atPath: "cart.items.2.sku") == nil)
        #expect(value.value(atPath: "cart.missing") == nil)
    }

    @Test func formatsIntegralNumbersWithoutAFraction() {
        #expect(JSONValue.format(42) == "42")
        #expect(JSONValue.format(-0.5) == "-0.5")
        #expect(JSONValue.format(.infinity) == "null")
    }
}
