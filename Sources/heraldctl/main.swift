import Foundation
import HeraldCore
import HeraldFleet

do {
    let configuration = try FleetConfiguration()
    exit(await HeraldCtl(configuration: configuration).run(Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("heraldctl: \(error)\n".utf8))
    exit(2)
}
