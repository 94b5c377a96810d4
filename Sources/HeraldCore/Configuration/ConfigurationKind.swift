import Foundation

/// What a configuration variable holds, how its text is parsed, and what an error says it expected.
public enum ConfigurationKind: Sendable, Hashable {
    /// A whole number within the range, in `unit` (`""`, `"ms"`, `"s"`, `"days"`, `"bytes"` …).
    case integer(ClosedRange<Int>, unit: String)
    /// A decimal number within the range.
    case number(ClosedRange<Double>)
    /// `true`, `false`, `1` or `0`, nothing else (a typo such as `ture` is an error, not false).
    case boolean
    /// One of the values (matched without regard to case; the value as listed is used).
    case choice([String])
    /// An absolute URL with one of the schemes and a host.
    case url(schemes: [String])
    /// Free text (a name, an address); any value is accepted.
    case text
    /// A file or directory path.
    case path
    /// An IANA time zone identifier the system knows (`UTC`, `Europe/Berlin`).
    case timeZone
    /// A secret: read as is or, with its `_FILE` form, from a file; its value is never printed.
    case secret
    /// A structured value in the format described, checked by the reader named in the table
    /// (quiet hours, caps, rates, Redis URLs) when the process builds its services, before it connects.
    case format(String)

    /// A milliseconds duration within `range`.
    public static func milliseconds(_ range: ClosedRange<Int>) -> ConfigurationKind { .integer(range, unit: "ms") }
    /// A count within `range`.
    public static func count(_ range: ClosedRange<Int>) -> ConfigurationKind { .integer(range, unit: "") }

    /// What a valid value looks like, for errors and the docs.
    public var expected: String {
        switch self {
        case .integer(let range, let unit):
            let suffix = unit.isEmpty ? "" : " (\(unit))"
            if range.upperBound == Int.max { return "an integer ≥ \(range.lowerBound)\(suffix)" }
            return "an integer from \(range.lowerBound) to \(range.upperBound)\(suffix)"
        case .number(let range):
            if range.upperBound == .greatestFiniteMagnitude { return "a number ≥ \(Self.plain(range.lowerBound))" }
            return "a number from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound))"
        case .boolean: return "true, false, 1 or 0"
        case .choice(let values): return "one of " + values.joined(separator: ", ")
        case .url(let schemes): return "an absolute " + schemes.joined(separator: "/") + " URL with a host"
        case .text: return "text"
        case .path: return "a path"
        case .timeZone: return "an IANA time zone, e.g. Europe/Berlin"
        case .secret: return "a secret (or its _FILE form: a file holding it)"
        case .format(let format): return format
        }
    }

    /// The value `text` holds, as the kind's canonical text (a choice as listed, a boolean as
    /// `true`/`false`); throws `.invalid` naming `variable`. Secrets and formats are not
    /// checked here: their readers check them and never print a secret.
    public func parse(_ text: String, variable: String) throws(FleetConfigurationError) -> String {
        func invalid() -> FleetConfigurationError { .invalid(variable: variable, value: text, expected: expected) }
        switch self {
        case .integer(let range, _):
            guard let value = Int(text), range.contains(value) else { throw invalid() }
            return String(value)
        case .number(let range):
            guard let value = Double(text), value.isFinite, range.contains(value) else { throw invalid() }
            return text
        case .boolean:
            switch text {
            case "true", "1": return "true"
            case "false", "0": return "false"
            default: throw invalid()
            }
        case .choice(let values):
            guard let value = values.first(where: { $0.lowercased() == text.lowercased() }) else { throw invalid() }
            return value
        case .url(let schemes):
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), schemes.contains(scheme),
                let host = components.host, !host.isEmpty, !text.contains(where: \.isWhitespace)
            else { throw invalid() }
            return text
        case .timeZone:
            guard TimeZone(identifier: text) != nil else { throw invalid() }
            return text
        case .text, .path, .secret, .format:
            return text
        }
    }

    private static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
