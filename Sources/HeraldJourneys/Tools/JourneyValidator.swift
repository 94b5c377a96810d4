import Foundation
import HeraldCore
import HeraldTemplates

/// Checks journey files and explains every problem with a JSON path.
public enum JourneyValidator {
    static let topLevelMembers: Set<String> = ["id", "name", "version", "trigger", "entry", "exit", "goal", "steps", "defaults", "description", "$schema"]
    static let stepMembers: Set<String> = ["id", "next", "pastDue", "description"]

    /// Every issue in one journey file; empty when the file is valid. With `templates`, every
    /// send step's template must exist there for the step's channel, and each of its files parse.
    public static func validate(data: Data, file: String, templates: TemplateInventory? = nil) -> [JourneyValidationIssue] {
        check(data: data, file: file, templates: templates).issues
    }

    /// The journey and every issue of the file; the journey is `nil` when the file cannot be
    /// decoded. Problems of every kind are reported together: syntax (with line and column),
    /// unknown members, each member that does not decode, what decoding cannot check, templates.
    static func check(data: Data, file: String, templates: TemplateInventory? = nil) -> (journey: Journey?, issues: [JourneyValidationIssue]) {
        var issues: [JourneyValidationIssue] = []
        func issue(_ path: String, _ message: String) {
            issues.append(JourneyValidationIssue(file: file, path: path, message: message))
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(Array(data))
        } catch {
            let (line, column) = error.position(in: data)
            issues.append(JourneyValidationIssue(
                file: file, path: "$", message: "not valid JSON at line \(line), column \(column): \(error.reason)", line: line, column: column))
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
        let templateProblems = templates.map { templateIssues(members, templates: $0, file: file) } ?? []
        let whole: any Error
        do {
            let journey = try JSONDecoder().decode(Journey.self, from: data)
            issues += semanticIssues(journey, file: file) + templateProblems
            return (journey, issues)
        } catch {
            whole = error
        }
        // Decoding stops at its first error: decode member by member to find every one, then
        // check what decoded, leaving out what depends on the parts that did not.
        let (assembled, failed, found) = decodeMembers(members)
        for (path, message) in found { issue(path, message) }
        let partial = semanticIssues(assembled, file: file).filter { semantic in
            !failed.contains { semantic.path == $0 || semantic.path.hasPrefix($0 + ".") || semantic.path.hasPrefix($0 + "[") }
                && !(failed.contains { $0.hasPrefix("$.steps") } && semantic.message.contains("unreachable"))
        }
        issues += partial
        if found.isEmpty && partial.isEmpty {
            // Every member decoded on its own; say what decoding the whole reported.
            issue("$", (whole as? DecodingError).map { details($0).message } ?? "\(whole)")
        }
        return (nil, issues + templateProblems)
    }

    /// The journey's members decoded one by one: a journey assembled with stand-ins for the
    /// parts that failed, the JSON paths of those parts, and every decoding problem.
    static func decodeMembers(_ members: [String: JSONValue]) -> (journey: Journey, failed: [String], issues: [(path: String, message: String)]) {
        var failed: [String] = []
        var found: [(path: String, message: String)] = []
        func member<T: Decodable>(_ type: T.Type, _ value: JSONValue?, at path: String, required: Bool) -> T? {
            guard let value, value != .null else {
                if required {
                    found.append((path, value == nil ? "missing required member '\(path.split(separator: ".").last ?? "")'" : "expected a value, found null"))
                    failed.append(path)
                }
                return nil
            }
            let (decoded, problems) = decodeCollecting(type, value, at: path)
            if decoded == nil {
                found += problems
                failed.append(path)
            }
            return decoded
        }
        let id = member(String.self, members["id"], at: "$.id", required: true)
        let name = member(String.self, members["name"], at: "$.name", required: false)
        let version = member(Int.self, members["version"], at: "$.version", required: false)
        let trigger = member(JourneyTrigger.self, members["trigger"], at: "$.trigger", required: true)
        let entry = member(JourneyEntry.self, members["entry"], at: "$.entry", required: false)
        let exit = member(JourneyExit.self, members["exit"], at: "$.exit", required: false)
        let goal = member(JourneyGoal.self, members["goal"], at: "$.goal", required: false)
        let defaults = member(JourneyDefaults.self, members["defaults"], at: "$.defaults", required: false)
        var steps: [JourneyStep] = []
        switch members["steps"] {
        case nil:
            found.append(("$.steps", "missing required member 'steps'"))
            failed.append("$.steps")
        case .array(let elements)?:
            for (position, element) in elements.enumerated() {
                let path = "$.steps[\(position)]"
                guard let fields = element.objectValue else {
                    found.append((path, "expected an object (a step)"))
                    failed.append(path)
                    steps.append(JourneyStep(id: "", exit: ExitStep()))
                    continue
                }
                let before = failed.count
                let stepId = member(String.self, fields["id"], at: "\(path).id", required: true)
                let step = JourneyStep(
                    id: stepId ?? fields["id"]?.stringValue ?? "",
                    next: member(String.self, fields["next"], at: "\(path).next", required: false),
                    send: member(SendStep.self, fields["send"], at: "\(path).send", required: false),
                    wait: member(WaitStep.self, fields["wait"], at: "\(path).wait", required: false),
                    waitForEvent: member(WaitForEventStep.self, fields["waitForEvent"], at: "\(path).waitForEvent", required: false),
                    branch: member(BranchStep.self, fields["branch"], at: "\(path).branch", required: false),
                    split: member(SplitStep.self, fields["split"], at: "\(path).split", required: false),
                    exit: member(ExitStep.self, fields["exit"], at: "\(path).exit", required: false),
                    pastDue: member(PastDuePolicy.self, fields["pastDue"], at: "\(path).pastDue", required: false),
                    updateProfile: member(UpdateProfileStep.self, fields["updateProfile"], at: "\(path).updateProfile", required: false),
                    callWebhook: member(CallWebhookStep.self, fields["callWebhook"], at: "\(path).callWebhook", required: false),
                    startJourney: member(StartJourneyStep.self, fields["startJourney"], at: "\(path).startJourney", required: false),
                    updateLists: member(UpdateListsStep.self, fields["updateLists"], at: "\(path).updateLists", required: false))
                if failed.count > before {
                    // A stand-in that ends the journey; what depends on this step is left unchecked.
                    failed.append(path)
                    steps.append(JourneyStep(id: step.id, exit: ExitStep()))
                } else {
                    steps.append(step)
                }
            }
        case .some:
            found.append(("$.steps", "expected an array"))
            failed.append("$.steps")
        }
        let journey = Journey(
            id: id ?? "placeholder", name: name, version: version ?? 1, trigger: trigger ?? JourneyTrigger(), entry: entry ?? JourneyEntry(),
            exit: exit, goal: goal, steps: steps, defaults: defaults ?? JourneyDefaults())
        return (journey, failed, found)
    }

    /// Problems with the templates the send steps name, read from the document itself so they
    /// are found even when other parts do not decode.
    static func templateIssues(_ members: [String: JSONValue], templates: TemplateInventory, file: String) -> [JourneyValidationIssue] {
        var issues: [JourneyValidationIssue] = []
        for (position, step) in (members["steps"]?.arrayValue ?? []).enumerated() {
            guard let send = step["send"], let channel = send["channel"]?.stringValue.flatMap(Channel.init(rawValue:)),
                let name = send["template"]?.stringValue, !name.trimmingCharacters(in: .whitespaces).isEmpty
            else { continue }
            for problem in templates.problems(message: name, channel: channel) {
                issues.append(JourneyValidationIssue(file: file, path: "$.steps[\(position)].send.template", message: problem))
            }
        }
        return issues
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
