import Foundation
import HeraldTestSupport
import Testing

/// docs/operations.md answers the operator's five questions, each with one heraldctl command and
/// its output, and scripts/walkthrough runs exactly those commands (so the output can be redone).
@Suite struct OperationsWalkthroughTests {
    @Test func eachQuestionHasACommandThatScriptsWalkthroughRuns() throws {
        let root = Executables.packageRoot
        let docs = try String(contentsOf: root.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let script = try String(contentsOf: root.appendingPathComponent("scripts/walkthrough"), encoding: .utf8)
        let questions = ["Where is the lag?", "Why didn't user X get message Y?", "What failed and why?", "Replay the dead letters", "Scale the email senders"]
        for question in questions {
            let section = try #require(docs.range(of: "### \(question)\n"), "no section '\(question)'")
            let rest = docs[section.upperBound...]
            let end = rest.range(of: "\n### ")?.lowerBound ?? rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
            let body = rest[..<end]
            let block = try #require(body.range(of: "```\n$ heraldctl "), "\(question): no command block")
            let command = body[block.upperBound...].prefix { $0 != "\n" }
            #expect(script.contains("\(command)"), "scripts/walkthrough does not run 'heraldctl \(command)'")
            let output = body[block.upperBound...].split(separator: "\n").dropFirst().prefix { !$0.hasPrefix("```") }
            #expect(!output.isEmpty, "\(question): the command's output is shown")
        }
    }
}
