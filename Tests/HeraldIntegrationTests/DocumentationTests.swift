import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// The delivery documentation names everything a sender reads: every setting of the senders and
/// their providers, and the profile trait each channel is addressed by.
@Suite struct DocumentationTests {
    static func read(_ path: String) throws -> String {
        try String(contentsOf: Executables.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every `"HERALD_…"` string literal in the Swift files under `folders`.
    static func variables(in folders: [String]) throws -> Set<String> {
        let root = Executables.packageRoot
        var found: Set<String> = []
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in text.matches(of: /"(HERALD_[A-Z0-9_]*[A-Z0-9])"/) { found.insert(String(match.output.1)) }
            }
        }
        return found
    }

    @Test func deliveryDocsNameEveryChannelsAddressingAndEveryProviderSetting() throws {
        let docs = try Self.read("docs/delivery.md")
        let read = try Self.variables(in: ["Sources/HeraldDelivery/Providers", "Sources/HeraldFleet/Send"])
        #expect(read.count > 30, "found \(read.count) settings")
        let missing = read.filter { !docs.contains("`\($0)") }.sorted()
        #expect(missing.isEmpty, "docs/delivery.md does not name \(missing.joined(separator: ", "))")
        // The per-channel settings are built from the channel's name.
        for suffix in ["PROVIDER", "SECONDARY", "RATE", "BURST"] {
            let named = docs.contains("`HERALD_<CHANNEL>_\(suffix)")
            #expect(named, "HERALD_<CHANNEL>_\(suffix)")
        }
        // A secondary of the primary's own kind reads its own settings.
        for variable in ["HERALD_WEBHOOK_SECONDARY_URL", "HERALD_WEBHOOK_SECONDARY_SECRET"] {
            let named = docs.contains("`\(variable)")
            #expect(named, "\(variable)")
        }
        // How each channel is addressed: the profile traits the sender reads.
        for trait in ["email", "phone", "smsChannel", "pushTokens", "pushToken", "deviceToken", "webhookUrl"] {
            let named = docs.contains("`\(trait)`")
            #expect(named, "trait \(trait)")
        }
    }
}
