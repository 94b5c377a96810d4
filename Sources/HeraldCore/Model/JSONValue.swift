/// A JSON document: the shape of event properties, traits, profiles and template data.
///
/// Herald parses and prints JSON itself (see `JSONValue+Parsing.swift`) because every event crosses
/// three hops and Foundation's `JSONSerialization` would dominate the hot path.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The members when this is an object, else `nil`.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements when this is an array, else `nil`.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text when this is a string, else `nil`.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number when this is a number, else `nil`.
    public var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The truth value when this is a boolean, else `nil`.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Follows a dotted path such as `properties.cart.id` or `items.0.sku` through objects and arrays.
    public func value(atPath path: some StringProtocol) -> JSONValue? {
        value(atComponents: path.split(separator: ".", omittingEmptySubsequences: false))
    }

    /// Follows path components through objects (by member name) and arrays (by index).
    public func value<Components: Sequence>(atComponents components: Components) -> JSONValue? where Components.Element: StringProtocol {
        var current = self
        for component in components {
            switch current {
            case .object(let members):
                guard let next = members[String(component)] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(component), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A short text form for comparisons and logs: strings bare, everything else as JSON.
    public var displayText: String {
        switch self {
        case .string(let text): return text
        default: return serialized()
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
