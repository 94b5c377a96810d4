import Foundation
import HeraldCore

/// Checks journey files and explains every problem with a JSON path.
public enum JourneyValidator {
    static let topLevelMembers: Set<String> = ["id", "name", "version", "trigger", "entry", "exit", "goal", "steps", "defaults", "description", "$schema"]
    static let stepMembers: Set<String> = ["id", "next", "pastDue", "description"]

    /// Every issue in one journey file; empty when the file is valid.
    public static func validate(data: Data, file: String) -> [JourneyValidationIssue] {
        check(data: data, file: file).issues
    }

    /// The journey and its issues; the journey is `nil` when the file cannot be decoded.
    static func check(data: Data, file: String) -> (journey: Journey?, issues: [JourneyValidationIssue]) {
        var issues: [JourneyValidationIssue] = []
        func issue(_ path: String, _ message: String) {
            issues.append(JourneyValidationIssue(file: file, path: path, message: message))
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(Array(data))
        } catch {
            issue("$", "not valid JSON: \(error)")
            return (nil, issues)
        }
        guard case .object(let members) = document else {
            issue("$", "a journey file holds one JSON object")
            return (nil, issues)
        }
        for key in members.keys.sorted() where !topLevelMembers.contains(key) {
            issue("$.\(key)", "unknown member '\(key)'; expected one of " + topLevelMembers.filter { $0 != "$schema" }.sorted().joined(separator: ", "))
        }
        let kinds = Set(JourneyStepKind.allCases.map(\.rawValue))
        for (position, step) in (members["steps"]?.arrayValue ?? []).enumerated() {
            guard let stepMembers = step.objectValue else { continue }
            let path = "$.steps[\(position)]"
            let present = stepMembers.keys.filter { kinds.contains($0) }.sorted()
            let unknown = stepMembers.keys.filter { !kinds.contains($0) && !Self.stepMembers.contains($0) }.sorted()
            for key in unknown {
                issue("\(path).\(key)", "unknown step kind '\(key)'; expected one of " + JourneyStepKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if present.isEmpty, unknown.isEmpty {
                issue(path, "the step has no kind; add one of " + JourneyStepKind.allCases.map(\.rawValue).joined(separator: ", "))
            } else if present.count > 1 {
                issue(path, "a step has exactly one kind; found " + present.joined(separator: " and "))
            }
        }
        for (path, message) in unknownMembers(in: members) { issue(path, message) }
        guard issues.isEmpty else { return (nil, issues) }
        let journey: Journey
        do {
            journey = try JSONDecoder().decode(Journey.self, from: data)
        } catch let error as DecodingError {
            let (path, message) = describe(error)
            issue(path, message)
            return (nil, issues)
        } catch {
            issue("$", "\(error)")
            return (nil, issues)
        }
        issues += semanticIssues(journey, file: file)
        return (journey, issues)
    }

    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        var path = "$"
        for key in codingPath {
            if let index = key.intValue { path += "[\(index)]" } else { path += ".\(key.stringValue)" }
        }
        return path
    }

    static func describe(_ error: DecodingError) -> (String, String) {
        switch error {
        case .keyNotFound(let key, let context):
            return (jsonPath(context.codingPath + [key]), "missing required member '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            return (jsonPath(context.codingPath), "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return (jsonPath(context.codingPath), "expected \(typeName(type)), found null")
        case .dataCorrupted(let context):
            return (jsonPath(context.codingPath), context.debugDescription)
        @unknown default:
            return ("$", "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object (\(name))"
        }
    }
}
