import Foundation

/// Locating programs the tests run.
public enum Executables {
    /// The path of program `name` in /usr/bin, /usr/local/bin or /usr/sbin.
    public static func find(_ name: String) throws -> String {
        for directory in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw FixtureError.missing("\(name) (scripts/test installs it)")
    }

    /// The directory holding the package's built products (beside the test bundle).
    public static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("herald-ingestor").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The package root (for config/ and examples/).
    public static var packageRoot: URL {
        // This file is Tests/HeraldTestSupport/Executables.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
