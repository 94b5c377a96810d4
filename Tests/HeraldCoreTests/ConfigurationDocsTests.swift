import Foundation
import HeraldCore
import Testing

/// docs/configuration.md, `--help`, the code's reads, the compose files and the scripts all agree
/// with the one variable table.
@Suite struct ConfigurationDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let herald = ConfigurationCatalogue.herald

    static func files(under folder: String, where keep: (URL) -> Bool) -> [URL] {
        let base = root.appendingPathComponent(folder)
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath && keep($0) }.sorted { $0.path < $1.path }
    }

    /// Whole `HERALD_*` names in `text`; a name followed by `*`, `…` or `_` (`HERALD_EDGE_*`) is a prefix, not a name.
    static func names(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: #"\b(?:HERALD|REDIS)_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_*…])"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test func theCommittedDocsAreWhatTheTableGenerates() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        #expect(committed == herald.markdown(), "docs/configuration.md is stale: run `swift run heraldctl config docs > docs/configuration.md`")
        for link in ["README.md", "docs/operations.md"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(link), encoding: .utf8)
            #expect(text.contains("configuration.md"), "\(link) links docs/configuration.md")
        }
    }

    @Test func everyVariableTheCodeReadsIsInTheTable() throws {
        var read: Set<String> = []
        for file in Self.files(under: "Sources", where: { $0.pathExtension == "swift" }) {
            let text = try String(contentsOf: file, encoding: .utf8)
            // Quoted names only: those are the reads (and the errors that name them).
            let regex = try NSRegularExpression(pattern: #""((?:HERALD|REDIS)_[A-Z0-9_]*[A-Z0-9])""#)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                read.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(read.count > 60, "found \(read.count)")
        // StreamRetention.fromEnvironment takes these prefixes and appends _MAX and _MAX_AGE_MS.
        read.subtract(["HERALD_DEAD_LETTER", "HERALD_REJECTED"])
        let unknown = read.filter { herald.resolve($0) == nil }.sorted()
        #expect(unknown.isEmpty, "read in Sources but not in ConfigurationCatalogue: \(unknown)")
        // Every channel's dynamic names are declared too.
        for channel in Channel.allCases {
            for suffix in ["PROVIDER", "SECONDARY", "RATE", "BURST"] {
                #expect(herald.variable("HERALD_\(channel.rawValue.uppercased())_\(suffix)") != nil)
            }
        }
    }

    @Test func everyVariableInTheComposeFilesScriptsAndDocsIsAKnownName() throws {
        var sources = Self.files(under: "docker", where: { ["yml", "yaml", "sh", "example"].contains($0.pathExtension) || $0.lastPathComponent == "Dockerfile" })
        sources += Self.files(under: "scripts", where: { _ in true })
        // docs/configuration.md is the table itself, and shows a typo on purpose.
        sources += Self.files(under: "docs", where: { $0.pathExtension == "md" && $0.lastPathComponent != "configuration.md" })
        sources.append(Self.root.appendingPathComponent("README.md"))
        #expect(sources.contains { $0.lastPathComponent == "docker-compose.yml" })
        var problems: [String] = []
        for file in sources {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for name in Self.names(in: text) where herald.resolve(name) == nil {
                problems.append("\(file.path.dropFirst(Self.root.path.count + 1)): \(name)")
            }
        }
        #expect(problems.isEmpty, "not in ConfigurationCatalogue: \(problems.sorted())")
    }

    @Test func eachProcessesHelpListsItsVariablesFromTheTable() {
        let edge = FleetProcess.helpText(for: "herald-edge")
        for name in ["HERALD_EDGE_PORT", "HERALD_EDGE_WRITE_KEYS(_FILE)", "HERALD_EDGE_LINK_SECRET(S)(_FILE)", "REDIS_URL", "HERALD_DEDUPE_WINDOW_MS"] {
            #expect(edge.contains("  " + name), "\(name) in\n\(edge)")
        }
        #expect(!edge.contains("HERALD_BATCH_SIZE"))
        let sms = FleetProcess.helpText(for: "herald-sms-sender")
        #expect(sms.contains("  HERALD_SMS_RATE") && sms.contains("  HERALD_TWILIO_ACCOUNT_SID(_FILE)") && !sms.contains("HERALD_EMAIL_RATE"), "\(sms)")
        for executable in HeraldExecutable.allCases where executable != .ctl && executable != .bench {
            let help = FleetProcess.helpText(for: executable.rawValue)
            for variable in herald.variables(readBy: executable) { #expect(help.contains("  " + variable.name), "\(executable): \(variable.name)") }
        }
    }
}
