import Foundation
import HeraldCore
import HeraldJourneys

extension HeraldCtl {
    /// Prints `journeys stats JOURNEY`: the experiment report of the journey's split groups.
    func printExperiment(_ journey: String, json: Bool) async throws -> Int32 {
        let keyspace = configuration.keyspace
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let catalog = try await JourneyRegistry(keyspace: keyspace).load(connection: connection)
        guard catalog.journey(id: journey) != nil else {
            FileHandle.standardError.write(Data("no published journey '\(journey)'\n".utf8))
            return 1
        }
        let report = ExperimentReport(journey: journey, groups: try await experimentCounts(journey, catalog: catalog, connection: connection))
        if json {
            for line in report.jsonLines { print(line.serialized()) }
        } else if report.results.isEmpty {
            print("no split group statistics for \(journey) yet")
        } else {
            print(TextTable.render(header: ExperimentReport.header, rows: report.rows))
        }
        return 0
    }

    /// Sums every partition's experiment hash of `journey`; a group is a holdout when any version's
    /// split names it so, and every group of the journey's splits is listed, counted or not.
    func experimentCounts(_ journey: String, catalog: JourneyCatalog, connection: RedisConnection) async throws -> [ExperimentGroupCounts] {
        let keyspace = configuration.keyspace
        var groups: [String: ExperimentGroupCounts] = [:]
        for version in catalog.journeys where version.id == journey {
            for group in version.steps.compactMap(\.split).flatMap(\.groups) {
                let holdout = (groups[group.name]?.holdout ?? false) || group.holdout == true
                groups[group.name] = ExperimentGroupCounts(name: group.name, holdout: holdout)
            }
        }
        let replies = try await connection.pipeline(keyspace.allPartitions.map { .hgetall(keyspace.experimentStats($0, journey: journey)) })
        for reply in replies {
            for (field, value) in reply.fieldPairs {
                guard let number = value.string.flatMap(Double.init), let colon = field.lastIndex(of: ":") else { continue }
                let name = String(field[..<colon])
                var counts = groups[name] ?? ExperimentGroupCounts(name: name, holdout: false)
                switch String(field[field.index(after: colon)...]) {
                case StatCounter.entered.rawValue: counts.entered += Int(number.rounded())
                case StatCounter.sent.rawValue: counts.sent += Int(number.rounded())
                case StatCounter.converted.rawValue: counts.converted += Int(number.rounded())
                case StatCounter.revenue.rawValue: counts.revenue += number
                default: continue
                }
                groups[name] = counts
            }
        }
        return Array(groups.values)
    }
}
