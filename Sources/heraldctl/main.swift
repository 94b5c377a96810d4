import Foundation
import HeraldCore
import HeraldFleet

// Help needs no configuration: it prints even when REDIS_URL is malformed.
if let first = CommandLine.arguments.dropFirst().first, ["help", "-h", "--help"].contains(first) {
    print(HeraldCtl.usage)
    exit(0)
}
// The variable table's documentation needs no configuration either (docs/configuration.md is its output).
if Array(CommandLine.arguments.dropFirst()) == ["config", "docs"] {
    print(ConfigurationCatalogue.herald.markdown(), terminator: "")
    exit(0)
}
do {
    let configuration = try HeraldCtlConfiguration()
    exit(await HeraldCtl(configuration: configuration).run(Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("heraldctl: \(error)\n".utf8))
    exit(2)
}
