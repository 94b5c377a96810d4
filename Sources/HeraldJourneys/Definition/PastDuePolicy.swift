/// What to do when a timer is handled later than its due time by more than the journey's threshold.
///
/// JSON: `"sendLate"`, `"fail"` or `{"skipIfLaterThan": "2h"}`.
public enum PastDuePolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Carry on and send late.
    case sendLate
    /// Carry on, but skip the sends reached by this resumption if the lateness exceeds the limit.
    case skipIfLaterThan(JourneyDuration)
    /// Exit the instance with reason `pastDue`.
    case fail

    private enum Keys: String, CodingKey {
        case skipIfLaterThan
    }

    /// Decodes one of the JSON forms.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            switch text {
            case "sendLate": self = .sendLate
            case "fail": self = .fail
            default:
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "unknown past-due policy '\(text)'; expected \"sendLate\", \"fail\" or {\"skipIfLaterThan\": \"2h\"}"))
            }
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        self = .skipIfLaterThan(try container.decode(JourneyDuration.self, forKey: .skipIfLaterThan))
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .sendLate:
            var single = encoder.singleValueContainer()
            try single.encode("sendLate")
        case .fail:
            var single = encoder.singleValueContainer()
            try single.encode("fail")
        case .skipIfLaterThan(let limit):
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(limit, forKey: .skipIfLaterThan)
        }
    }

    /// A short name for trails and stats.
    public var description: String {
        switch self {
        case .sendLate: return "sendLate"
        case .fail: return "fail"
        case .skipIfLaterThan(let limit): return "skipIfLaterThan \(limit)"
        }
    }
}
