import HeraldCore

extension JourneyCondition {
    /// Whether the condition holds in `scope`.
    public func holds(in scope: ConditionScope) -> Bool {
        switch self {
        case .all(let list): return list.allSatisfy { $0.holds(in: scope) }
        case .any(let list): return list.contains { $0.holds(in: scope) }
        case .not(let inner): return !inner.holds(in: scope)
        case .happened(let name): return scope.seen.contains(name)
        case .count(let event, let within, let op, let value):
            guard let now = scope.now else { return false }
            let days = (within.seconds + 86_399) / 86_400
            let count = scope.activity[event]?.count(lastDays: days, now: now) ?? 0
            return Self.compare(.number(Double(count)), op, .number(value))
        case .lastSeen(let event, let op, let ago):
            let last = scope.activity[event]?.last
            switch op {
            case .exists: return last != nil
            case .notExists: return last == nil
            default:
                guard let now = scope.now, let last, let ago else { return false }
                return Self.compare(.number(now.timeIntervalSince(last)), op, .number(ago.interval))
            }
        case .inList(let name): return scope.lists.contains(name)
        case .compare(let path, let op, let expected):
            let actual = scope.resolve(path)
            return Self.compare(actual, op, expected)
        }
    }

    static func compare(_ actual: JSONValue?, _ op: ConditionOperator, _ expected: JSONValue?) -> Bool {
        let present = actual.map { !$0.isNull } ?? false
        switch op {
        case .exists: return present
        case .notExists: return !present
        default: break
        }
        guard let actual, let expected else { return false }
        switch op {
        case .eq: return equal(actual, expected)
        case .ne: return !equal(actual, expected)
        case .gt, .gte, .lt, .lte:
            guard let order = order(actual, expected) else { return false }
            switch op {
            case .gt: return order > 0
            case .gte: return order >= 0
            case .lt: return order < 0
            default: return order <= 0
            }
        case .contains:
            if case .string(let text) = actual, case .string(let part) = expected { return text.contains(part) }
            if case .array(let elements) = actual { return elements.contains { equal($0, expected) } }
            return false
        case .in:
            guard case .array(let options) = expected else { return false }
            return options.contains { equal(actual, $0) }
        case .exists, .notExists:
            return false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): return number
        case .string(let text): return Double(text)
        default: return nil
        }
    }

    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if lhs == rhs { return true }
        if let left = number(lhs), let right = number(rhs) { return left == right }
        return false
    }

    static func order(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
        if case .string(let left) = lhs, case .string(let right) = rhs {
            if let leftNumber = Double(left), let rightNumber = Double(right) {
                return leftNumber < rightNumber ? -1 : (leftNumber == rightNumber ? 0 : 1)
            }
            return left < right ? -1 : (left == right ? 0 : 1)
        }
        guard let left = number(lhs), let right = number(rhs) else { return nil }
        return left < right ? -1 : (left == right ? 0 : 1)
    }
}
