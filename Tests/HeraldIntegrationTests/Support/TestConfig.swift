import Foundation
import HeraldTestSupport

/// A config directory for fleet tests: the package's templates plus templates a test adds
/// (name → part file → source), pointed to with `HERALD_CONFIG_DIR`.
final class TestConfig: @unchecked Sendable {
    // @unchecked: immutable after init.
    let directory: URL

    init(templates extra: [String: [String: String]]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-config-\(UUID().uuidString.prefix(8))")
        let templates = directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Executables.packageRoot.appendingPathComponent("config/templates"), to: templates)
        for (name, parts) in extra {
            let folder = templates.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (file, source) in parts { try Data(source.utf8).write(to: folder.appendingPathComponent(file)) }
        }
    }

    var path: String { directory.path }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
