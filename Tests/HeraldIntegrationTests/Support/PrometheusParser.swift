import Foundation
import HeraldCore
import HeraldTestSupport

/// Parses Prometheus text with the Prometheus project's Python client
/// (`prometheus_client.parser.text_string_to_metric_families`, from scripts/requirements-test.txt)
/// and hands back what it read, so a test checks Herald's output against a real parser.
enum PrometheusParser {
    /// One sample as the parser read it.
    struct Sample: Sendable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// One family as the parser read it.
    struct Family: Sendable {
        var name: String
        var type: String
        var samples: [Sample]
    }

    static let script = """
        import json, math, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            out.append({"name": family.name, "type": family.type, "samples": [
                {"name": s.name, "labels": s.labels, "value": (None if math.isnan(s.value) else ("+Inf" if s.value == math.inf else s.value))}
                for s in family.samples]})
        json.dump(out, sys.stdout)
        """

    /// The families in `text`; throws with the parser's error when it refuses the text.
    static func parse(_ text: String) throws -> [String: Family] {
        let python = ProcessInfo.processInfo.environment["HERALD_TEST_PYTHON"] ?? "python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError.missing("prometheus_client refused the text: \(problems)") }
        var families: [String: Family] = [:]
        for family in try JSONValue.parse(String(decoding: data, as: UTF8.self)).arrayValue ?? [] {
            let samples = (family["samples"]?.arrayValue ?? []).map { sample in
                Sample(
                    name: sample["name"]?.stringValue ?? "",
                    labels: (sample["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
                    value: sample["value"]?.numberValue ?? (sample["value"]?.stringValue == "+Inf" ? .infinity : .nan))
            }
            let name = family["name"]?.stringValue ?? ""
            families[name] = Family(name: name, type: family["type"]?.stringValue ?? "", samples: samples)
        }
        return families
    }
}
