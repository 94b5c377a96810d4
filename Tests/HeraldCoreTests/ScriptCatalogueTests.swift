import Foundation
import HeraldCore
import Testing

/// Every Lua script lives in one place, is listed by `HeraldScripts`, declares its keys, and builds no key name.
@Suite struct ScriptCatalogueTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/HeraldCore/Scripts")

    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".lua") }.sorted()
    }

    @Test func everyScriptFileIsListedAndNoScriptComesFromElsewhere() throws {
        let listed = HeraldScripts.all.map { $0.name + ".lua" }.sorted()
        #expect(listed == (try Self.files()))
        #expect(Set(HeraldScripts.all.map(\.sha1)).count == HeraldScripts.all.count, "no script is listed twice")
        // No Swift source carries a script of its own.
        let sources = Self.directory.deletingLastPathComponent().deletingLastPathComponent()
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        var inline: [String] = []
        for case let path as String in enumerator where path.hasSuffix(".swift") && !path.hasSuffix("Redis/RedisScript.swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            if text.contains("RedisScript(name:") || text.contains("redis.call(") { inline.append(path) }
        }
        #expect(inline == [], "Lua belongs in Sources/HeraldCore/Scripts")
    }

    @Test(arguments: try files()) func aScriptDeclaresItsKeysAndBuildsNoKeyName(file: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.prefix { $0.hasPrefix("--") }.joined(separator: "\n")
        let code = lines.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
        #expect(header.contains("KEYS"), "\(file) opens with a comment declaring its KEYS")
        // A key named in the code must be one declared in the header (`KEYS[n]`, or a range such as `KEYS[2..]`).
        let used = Set(code.matches(of: /KEYS\[(\d+)\]/).map { String($0.output.1) })
        for index in used {
            let declared = header.contains("KEYS[\(index)]") || header.contains("KEYS[\(index)..") || header.contains("`KEYS`")
            #expect(declared, "\(file) uses KEYS[\(index)] without declaring it")
        }
        // A key is never a literal or built from pieces inside the script (Redis Cluster could not
        // route it); a literal subcommand such as XGROUP's DELCONSUMER is fine.
        let built = code.matches(of: /redis\.call\(\s*'[A-Za-z]+'\s*,\s*(?:'[^']*[:{][^']*'|"|[A-Za-z_]+\s*\.\.)/)
        #expect(built.isEmpty, "\(file) builds a key name: \(built.map { String($0.output) })")
    }
}
