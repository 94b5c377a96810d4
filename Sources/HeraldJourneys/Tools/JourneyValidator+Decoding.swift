import Foundation
import HeraldCore

extension JourneyValidator {
    /// Wraps a member's value so any JSON value (a string, a number) decodes at the top level.
    struct Box<T: Decodable>: Decodable {
        var value: T
    }

    /// One step of a coding path: a member name or an array index.
    enum PathStep: Hashable {
        case member(String)
        case index(Int)
    }

    /// Decodes `value` as `T` and reports every problem decoding can reach, not just the first:
    /// after each error the offending value is replaced by a placeholder of the expected type
    /// (a type mismatch on a string, number or flag) or removed from its object, and decoding
    /// runs again, until it succeeds or a repair does not get past the same place. The value is
    /// returned only when the original decoded without any problem.
    static func decodeCollecting<T: Decodable>(_ type: T.Type, _ value: JSONValue, at base: String) -> (value: T?, issues: [(path: String, message: String)]) {
        var current = value
        var found: [(path: String, message: String)] = []
        var seen: Set<String> = []
        var placed: Set<String> = []
        // Each round reports a new path or stops, and a document has finitely many members.
        for _ in 0..<200 {
            do {
                let box = try JSONDecoder().decode(Box<T>.self, from: Data(JSONValue.object(["value": current]).serialized().utf8))
                return (found.isEmpty ? box.value : nil, found)
            } catch let error as DecodingError {
                let (codingPath, message, expected) = details(error)
                // Drop the box's own `value` key.
                let steps = codingPath.dropFirst().map { key in key.intValue.map(PathStep.index) ?? .member(key.stringValue) }
                let path = base + steps.map { step -> String in
                    switch step {
                    case .member(let name): return ".\(name)"
                    case .index(let index): return "[\(index)]"
                    }
                }.joined()
                if seen.contains(path) {
                    // A placeholder that is still wrong (a duration, not any string): remove it instead, once.
                    guard placed.remove(path) != nil, let removed = repair(current, at: Array(steps), expected: nil) else { return (nil, found) }
                    current = removed
                    continue
                }
                seen.insert(path)
                found.append((path, message))
                guard let repaired = repair(current, at: Array(steps), expected: expected) else { return (nil, found) }
                if placeholder(expected) != nil { placed.insert(path) }
                current = repaired
            } catch {
                found.append((base, "\(error)"))
                return (nil, found)
            }
        }
        return (nil, found)
    }

    /// The coding path (including the missing key), the message and, for a type mismatch, the
    /// type expected.
    static func details(_ error: DecodingError) -> (path: [any CodingKey], message: String, expected: Any.Type?) {
        switch error {
        case .keyNotFound(let key, let context):
            return (context.codingPath + [key], "missing required member '\(key.stringValue)'", nil)
        case .typeMismatch(let type, let context):
            return (context.codingPath, "expected \(typeName(type))", type)
        case .valueNotFound(let type, let context):
            return (context.codingPath, "expected \(typeName(type)), found null", type)
        case .dataCorrupted(let context):
            return (context.codingPath, context.debugDescription, nil)
        @unknown default:
            return ([], "\(error)", nil)
        }
    }

    /// `value` with the member at `path` given a placeholder of the `expected` type, or removed
    /// from its object; `nil` when neither can be done (the top, an array element, a missing member).
    static func repair(_ value: JSONValue, at path: [PathStep], expected: Any.Type?) -> JSONValue? {
        guard let first = path.first else { return nil }
        let rest = Array(path.dropFirst())
        switch (value, first) {
        case (.object(var members), .member(let name)):
            guard let inner = members[name] else { return nil }
            if rest.isEmpty {
                if let placeholder = placeholder(expected) {
                    members[name] = placeholder
                } else {
                    members.removeValue(forKey: name)
                }
                return .object(members)
            }
            guard let repaired = repair(inner, at: rest, expected: expected) else { return nil }
            members[name] = repaired
            return .object(members)
        case (.array(var elements), .index(let index)):
            guard index < elements.count, !rest.isEmpty else {
                // An element can be replaced only by one of its expected primitive type.
                guard index < elements.count, let placeholder = placeholder(expected) else { return nil }
                elements[index] = placeholder
                return .array(elements)
            }
            guard let repaired = repair(elements[index], at: rest, expected: expected) else { return nil }
            elements[index] = repaired
            return .array(elements)
        default:
            return nil
        }
    }

    /// A stand-in value of a primitive type, so decoding can go on to the next member.
    static func placeholder(_ type: Any.Type?) -> JSONValue? {
        switch type {
        case is String.Type: return .string("placeholder")
        case is Int.Type, is Double.Type: return .number(1)
        case is Bool.Type: return .bool(false)
        default: return nil
        }
    }
}
