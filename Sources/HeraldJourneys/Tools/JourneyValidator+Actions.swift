import Foundation
import HeraldCore
import HeraldTemplates

extension JourneyValidator {
    /// The action steps' checks (docs/journeys.md#action-steps): every template parses, names are
    /// valid, a trait or list is named once, a webhook call's URL, method and headers can be sent.
    static func checkActions(_ step: JourneyStep, at path: String, journey: Journey, issue: (String, String) -> Void) {
        func template(_ value: JSONValue, at location: String) {
            do {
                _ = try JSONTemplate(value, name: location)
            } catch {
                issue(location, "bad template: \(error.description)")
            }
        }
        if let update = step.updateProfile {
            let base = "\(path).updateProfile"
            if update.traits.isEmpty { issue(base, "set at least one of set, unset, increment") }
            var named: [String: String] = [:]
            for (member, names) in [("set", update.set?.keys.sorted() ?? []), ("unset", update.unset ?? []), ("increment", update.increment?.keys.sorted() ?? [])] {
                for name in names {
                    if name.trimmingCharacters(in: .whitespaces).isEmpty { issue("\(base).\(member)", "a trait name is empty") }
                    if let other = named[name] {
                        issue("\(base).\(member)", "trait '\(name)' is also in \(other); name each trait once")
                    } else {
                        named[name] = member
                    }
                }
            }
            for (name, value) in (update.set ?? [:]).sorted(by: { $0.key < $1.key }) { template(value.value, at: "\(base).set.\(name)") }
            for (name, delta) in (update.increment ?? [:]).sorted(by: { $0.key < $1.key }) where !delta.isFinite || delta == 0 {
                issue("\(base).increment.\(name)", "increment by a finite number other than 0")
            }
        }
        if let call = step.callWebhook {
            let base = "\(path).callWebhook"
            let url = call.url.trimmingCharacters(in: .whitespaces).lowercased()
            if !(url.hasPrefix("https://") || url.hasPrefix("http://") || url.hasPrefix("{{")) {
                issue("\(base).url", "the URL must start with https:// or http:// (or be a template that renders one)")
            }
            template(.string(call.url), at: "\(base).url")
            if !CallWebhookStep.methods.contains(call.resolvedMethod) {
                issue("\(base).method", "unknown method '\(call.method ?? "")'; expected one of " + CallWebhookStep.methods.joined(separator: ", "))
            }
            for (name, value) in (call.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                let token = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+-.^_`|~".contains($0)) }
                if !token { issue("\(base).headers.\(name)", "'\(name)' is not a header name") }
                if CallWebhookStep.reservedHeaders.contains(name.lowercased()) {
                    issue("\(base).headers.\(name)", "'\(name)' is set by the webhook sender (signature, content and connection headers)")
                }
                template(.string(value), at: "\(base).headers.\(name)")
            }
            if let body = call.body { template(body.value, at: "\(base).body") }
        }
        if let start = step.startJourney {
            let base = "\(path).startJourney.journey"
            if start.journey.isEmpty || !start.journey.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                issue(base, "name a journey id: letters, digits, '-' or '_'")
            } else if start.journey == journey.id {
                issue(base, "a journey cannot start itself; use next to loop")
            }
        }
        if let lists = step.updateLists {
            let base = "\(path).updateLists"
            let add = lists.add ?? [], remove = lists.remove ?? []
            if add.isEmpty && remove.isEmpty { issue(base, "name at least one list in add or remove") }
            for (member, names) in [("add", add), ("remove", remove)] {
                for (position, name) in names.enumerated() where !UpdateListsStep.isValidName(name) {
                    issue("\(base).\(member)[\(position)]", "bad list name '\(name)'; 1 to 64 letters, digits, '-', '_', '.' or ':'")
                }
            }
            for name in Set(add).intersection(remove).sorted() { issue(base, "list '\(name)' is both added and removed") }
        }
    }

    /// Warnings about `startJourney` steps across a directory: a target no file defines (the step
    /// enters nobody unless that journey is published from elsewhere), and journeys that start each
    /// other in a cycle (the engine does not start a journey again inside its own start).
    static func startJourneyWarnings(directory: URL) -> [JourneyValidationIssue] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var journeys: [(file: String, journey: Journey)] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url), let journey = try? JSONDecoder().decode(Journey.self, from: data) else { continue }
            journeys.append((url.path, journey))
        }
        let ids = Set(journeys.map(\.journey.id))
        var edges: [String: Set<String>] = [:]
        var issues: [JourneyValidationIssue] = []
        for (file, journey) in journeys {
            for (position, step) in journey.steps.enumerated() {
                guard let target = step.startJourney?.journey else { continue }
                edges[journey.id, default: []].insert(target)
                if !ids.contains(target) {
                    issues.append(JourneyValidationIssue(
                        file: file, path: "$.steps[\(position)].startJourney.journey",
                        message: "warning: no journey '\(target)' in \(directory.path); the step enters nobody unless it is published"))
                }
            }
        }
        for (file, journey) in journeys {
            // A path back to this journey through the start graph.
            var stack: [(String, [String])] = [(journey.id, [journey.id])]
            var visited: Set<String> = []
            while let (current, path) = stack.popLast() {
                for next in (edges[current] ?? []).sorted() {
                    if next == journey.id, path.count > 1 {
                        issues.append(JourneyValidationIssue(
                            file: file, path: "$.steps",
                            message: "warning: journeys start each other in a cycle (\((path + [next]).joined(separator: " → "))); a start inside its own cycle is refused"))
                        stack.removeAll()
                        break
                    }
                    if visited.insert(next).inserted { stack.append((next, path + [next])) }
                }
            }
        }
        return issues
    }
}
