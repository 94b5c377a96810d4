import HeraldCore

/// A test over the trigger event, the profile, the instance's variables and what happened since entry.
///
/// JSON forms: `{"path": "properties.total", "op": "gte", "value": 100}`, `{"all": [...]}`,
/// `{"any": [...]}`, `{"not": {...}}`, `{"happened": "Order Completed"}` (an event of that name
/// arrived since the instance entered; only meaningful inside a running instance) and
/// `{"inList": "vip-early-access"}` (the user is a member of that list).
public indirect enum JourneyCondition: Sendable, Hashable, Codable {
    /// Compares the value at `path` with `value` (absent for `exists` / `notExists`).
    case compare(path: String, op: ConditionOperator, value: JSONValue?)
    /// Every condition holds (true when empty).
    case all([JourneyCondition])
    /// At least one condition holds (false when empty).
    case any([JourneyCondition])
    /// The condition does not hold.
    case not(JourneyCondition)
    /// An event with this name arrived since the instance entered.
    case happened(String)
    /// The user is a member of the named list (`updateLists` steps).
    case inList(String)

    private enum Keys: String, CodingKey {
        case path, op, value, all, any, not, happened, inList
    }

    /// The path roots a condition may read.
    public static let roots: Set<String> = ["event", "profile", "properties", "vars", "latest"]

    /// Decodes one of the JSON forms.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let forms = container.allKeys.filter { $0 != .value && $0 != .op }
        guard forms.count == 1, let form = forms.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a condition has exactly one of path (with op), all, any, not, happened, inList"))
        }
        switch form {
        case .all: self = .all(try container.decode([JourneyCondition].self, forKey: .all))
        case .any: self = .any(try container.decode([JourneyCondition].self, forKey: .any))
        case .not: self = .not(try container.decode(JourneyCondition.self, forKey: .not))
        case .happened: self = .happened(try container.decode(String.self, forKey: .happened))
        case .inList: self = .inList(try container.decode(String.self, forKey: .inList))
        default:
            let path = try container.decode(String.self, forKey: .path)
            let opText = try container.decode(String.self, forKey: .op)
            guard let op = ConditionOperator(rawValue: opText) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: container.codingPath + [Keys.op],
                    debugDescription: "unknown operator '\(opText)'; expected one of "
                        + ConditionOperator.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            let value = try container.decodeIfPresent(StoredJSON.self, forKey: .value)?.value
            if value == nil, op != .exists, op != .notExists {
                throw DecodingError.keyNotFound(Keys.value, .init(
                    codingPath: container.codingPath, debugDescription: "operator '\(opText)' needs a value"))
            }
            self = .compare(path: path, op: op, value: value)
        }
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .compare(let path, let op, let value):
            try container.encode(path, forKey: .path)
            try container.encode(op, forKey: .op)
            if let value { try container.encode(StoredJSON(value), forKey: .value) }
        case .all(let list): try container.encode(list, forKey: .all)
        case .any(let list): try container.encode(list, forKey: .any)
        case .not(let inner): try container.encode(inner, forKey: .not)
        case .happened(let name): try container.encode(name, forKey: .happened)
        case .inList(let name): try container.encode(name, forKey: .inList)
        }
    }

    /// The event names tested with `happened` anywhere inside.
    public var happenedEvents: Set<String> {
        switch self {
        case .compare, .inList: return []
        case .all(let list), .any(let list): return list.reduce(into: []) { $0.formUnion($1.happenedEvents) }
        case .not(let inner): return inner.happenedEvents
        case .happened(let name): return [name]
        }
    }
}
