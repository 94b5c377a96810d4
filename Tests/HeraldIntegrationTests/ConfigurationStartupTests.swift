import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// A process checks its whole environment at start, before it connects to Redis: a typo'd
/// variable or a bad value stops it with exit 1 and a line naming the variable.
@Suite struct ConfigurationStartupTests {
    /// Redis on a port nothing listens on: a process that got as far as connecting would retry,
    /// not exit, so an exit naming the variable shows the check came first.
    static func unreachableRedis() throws -> [String: String] { ["REDIS_URL": "redis://127.0.0.1:\(try FreePort.find())"] }

    @Test(arguments: ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender", "herald-edge"])
    func aTypodVariableStopsTheProcessNamingItAndTheClosestName(_ name: String) throws {
        let fleet = try FleetHarness(journeys: [])
        let handle = try fleet.start(name, try Self.unreachableRedis().merging(["HERALD_BACTH_SIZE": "8"]) { $1 })
        #expect(handle.process.wait() == 1)
        #expect(handle.log.contains("HERALD_BACTH_SIZE is not a Herald variable (did you mean HERALD_BATCH_SIZE?)"), "\(handle.log)")
        #expect(!handle.log.contains(#""msg":"starting""#), "it stopped before starting its services: \(handle.log)")
    }

    @Test func aBadValueStopsTheProcessNamingTheVariableTheValueAndWhatWasExpected() throws {
        let fleet = try FleetHarness(journeys: [])
        // Once ignored: the evaluator kept 5 deliveries and said nothing.
        let handle = try fleet.start("herald-evaluator", try Self.unreachableRedis().merging(["HERALD_MAX_DELIVERIES": "five"]) { $1 })
        #expect(handle.process.wait() == 1)
        #expect(handle.log.contains("HERALD_MAX_DELIVERIES=five is invalid: expected an integer ≥ 1"), "\(handle.log)")
        // Once compared to "defer", so a typo meant drop.
        let sender = try fleet.start("herald-email-sender", try Self.unreachableRedis().merging(["HERALD_CAP_OVERFLOW": "deferr"]) { $1 })
        #expect(sender.process.wait() == 1)
        #expect(sender.log.contains("HERALD_CAP_OVERFLOW=deferr is invalid: expected one of drop, defer"), "\(sender.log)")
    }

    @Test func heraldctlRefusesATypodVariableAndPrintsTheDocsWithoutAnyConfiguration() throws {
        let fleet = try FleetHarness(journeys: [])
        let typo = try CtlRunner.run(fleet, ["status"], environment: ["HERALD_PARTITONS": "16"])
        #expect(typo.code == 2 && typo.output.contains("HERALD_PARTITONS is not a Herald variable (did you mean HERALD_PARTITIONS?)"), "\(typo.output)")
        let docs = try CtlRunner.run(fleet, ["config", "docs"], environment: ["HERALD_PARTITONS": "16", "REDIS_URL": "not-a-url"])
        #expect(docs.code == 0 && docs.output == ConfigurationCatalogue.herald.markdown(), "\(docs.output.prefix(300))")
    }
}
