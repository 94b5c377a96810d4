import Foundation

/// Paths the tests read from, found from this file's location so they work from any working directory.
enum TestPaths {
    /// The package root (the directory holding Package.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // HeraldTemplatesTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The official Mustache spec, checked out beside the repository (never copied into it).
    static let mustacheSpec = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/mustache-spec")

    /// The demo templates shipped with Herald.
    static let templates = packageRoot.appendingPathComponent("config/templates")
}
