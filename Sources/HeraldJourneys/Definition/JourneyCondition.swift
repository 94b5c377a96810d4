import HeraldCore

/// A test over the trigger event, the profile, the instance's variables and what happened since entry.
///
/// JSON forms: `{"path": "properties.total", "op": "gte", "value": 100}`, `{"all": [...]}`,
/// `{"any": [...]}`, `{"not": {...}}`, `{"happened": "Order Completed"}` (an event of that name
/// arrived since the instance entered; only meaningful inside a running instance) and
/// `{"inList": "vip-early-access"}` (the user is a member of that list), and over the user's
/// event summary (`UserJourneyState.activity`): `{"count": "Order Completed", "within": "30d",
/// "op": "gte", "value": 2}` (occurrences in the last 30 UTC days, today included) and
/// `{"lastSeen": "Login", "op": "gt", "value": "7d"}` (last seen more than 7 days ago; `exists` /
/// `notExists` without a value: seen / never seen).
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
    /// How many times `event` happened in the last `within` (whole UTC days, today included),
    /// compared with `value` by `op`.
    case count(event: String, within: JourneyDuration, op: ConditionOperator, value: Double)
    /// The time since `event` last happened compared with `ago` by `op` (`gt`: longer ago than);
    /// with `exists` / `notExists` (no `ago`), whether it happened at all.
    case lastSeen(event: String, op: ConditionOperator, ago: JourneyDuration?)
    /// The user is a member of the named list (`updateLists` steps).
    case inList(String)

    private enum Keys: String, CodingKey {
        case path, op, value, all, any, not, happened, count, within, lastSeen, inList
    }

    /// The path roots a condition may read.
    public static let roots: Set<String> = ["event", "profile", "properties", "vars", "latest"]

    /// Decodes one of the JSON forms.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let forms = container.allKeys.filter { $0 != .value && $0 != .op && $0 != .within }
        guard forms.count == 1, let form = forms.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a condition has exactly one of path (with op), all, any, not, happened, inList, count (with within and op), lastSeen (with op)"))
        }
        if form != .count, container.contains(.within) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [Keys.within], debugDescription: "within goes with count"))
        }
        switch form {
        case .count, .lastSeen:
            self = try Self.decodeSummary(form == .count, container)
            return
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
        case .count(let event, let within, let op, let value):
            try container.encode(event, forKey: .count)
            try container.encode(within, forKey: .within)
            try container.encode(op, forKey: .op)
            try container.encode(value, forKey: .value)
        case .lastSeen(let event, let op, let ago):
            try container.encode(event, forKey: .lastSeen)
            try container.encode(op, forKey: .op)
            try container.encodeIfPresent(ago, forKey: .value)
        case .inList(let name): try container.encode(name, forKey: .inList)
        }
    }

    private static func decodeSummary(_ isCount: Bool, _ container: KeyedDecodingContainer<Keys>) throws -> JourneyCondition {
        let event = try container.decode(String.self, forKey: isCount ? .count : .lastSeen)
        let opText = try container.decode(String.self, forKey: .op)
        guard let op = ConditionOperator(rawValue: opText) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [Keys.op],
                debugDescription: "unknown operator '\(opText)'; expected one of " + ConditionOperator.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        if isCount {
            return .count(
                event: event, within: try container.decode(JourneyDuration.self, forKey: .within), op: op,
                value: try container.decode(Double.self, forKey: .value))
        }
        if op == .exists || op == .notExists {
            if container.contains(.value) {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: container.codingPath + [Keys.value], debugDescription: "lastSeen with '\(opText)' takes no value"))
            }
            return .lastSeen(event: event, op: op, ago: nil)
        }
        return .lastSeen(event: event, op: op, ago: try container.decode(JourneyDuration.self, forKey: .value))
    }

    /// The event names tested with `happened` anywhere inside.
    public var happenedEvents: Set<String> {
        switch self {
        case .compare, .count, .lastSeen, .inList: return []
        case .all(let list), .any(let list): return list.reduce(into: []) { $0.formUnion($1.happenedEvents) }
        case .not(let inner): return inner.happenedEvents
        case .happened(let name): return [name]
        }
    }

    /// The event names tested with `count` or `lastSeen` anywhere inside.
    public var summarizedEvents: Set<String> {
        switch self {
        case .compare, .happened, .inList: return []
        case .all(let list), .any(let list): return list.reduce(into: []) { $0.formUnion($1.summarizedEvents) }
        case .not(let inner): return inner.summarizedEvents
        case .count(let event, _, _, _), .lastSeen(let event, _, _): return [event]
        }
    }
}
