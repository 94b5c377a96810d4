import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// `heraldctl`'s command line as an operator meets it: help per command, usage errors, plain file errors.
@Suite struct HeraldCtlUsageTests {
    @Test func everyCommandHasHelpAndAnOptionItDoesNotTakeIsAUsageError() throws {
        let fleet = try FleetHarness(journeys: [])
        for command in ["publish", "rejected", "dead-letter", "deliveries", "status", "channels", "inbox", "lists", "forget", "journeys", "simulate", "trail", "render"] {
            let help = try CtlRunner.run(fleet, [command, "--help"])
            #expect(help.code == 0 && help.output.contains("usage:") && help.output.contains("  \(command)"), "\(command): \(help.output)")
        }
        let typo = try CtlRunner.run(fleet, ["simulate", "--journeys", "config/journeys", "--events", "x.jsonl", "--jsn"])
        #expect(typo.code == 2 && typo.output.contains("does not take --jsn"), "\(typo.output)")
        let unknown = try CtlRunner.run(fleet, ["status", "--partitons"])
        #expect(unknown.code == 2, "\(unknown.output)")
    }

    @Test func aMissingFileIsSaidInPlainWords() throws {
        let fleet = try FleetHarness(journeys: [])
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).jsonl").path
        let publish = try CtlRunner.run(fleet, ["publish", missing])
        #expect(publish.code == 1 && publish.output.contains("cannot read \(missing): no such file"), "\(publish.output)")
        #expect(!publish.output.contains("Error Domain"))
        let simulate = try CtlRunner.run(fleet, ["simulate", "--journeys", Executables.packageRoot.appendingPathComponent("config/journeys").path, "--events", missing])
        #expect(simulate.code == 1 && !simulate.output.contains("Error Domain"), "\(simulate.output)")
    }
}
