import Foundation
import HeraldTemplates

extension JourneyValidator {
    /// Every issue in every `*.json` file of `directory`, plus (id, version) pairs defined twice;
    /// with `templates`, also the send steps' templates (see `validate(data:file:templates:)`).
    public static func validate(directory: URL, templates: TemplateInventory? = nil) -> [JourneyValidationIssue] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            return [JourneyValidationIssue(file: directory.path, path: "$", message: "cannot read the directory: \(error)")]
        }
        var issues: [JourneyValidationIssue] = []
        var seen: [String: String] = [:]
        var summarized: [(file: String, names: Set<String>)] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else {
                issues.append(JourneyValidationIssue(file: url.path, path: "$", message: "cannot read the file"))
                continue
            }
            let (journey, found) = check(data: data, file: url.path, templates: templates)
            issues += found
            guard let journey else { continue }
            summarized.append((url.path, journey.summarizedEvents))
            let key = "\(journey.id) v\(journey.version)"
            if let earlier = seen[key] {
                issues.append(JourneyValidationIssue(file: url.path, path: "$.id", message: "journey '\(journey.id)' version \(journey.version) is also defined in \(earlier)"))
            } else {
                seen[key] = url.path
            }
        }
        return issues + summaryIssues(summarized)
    }
}
