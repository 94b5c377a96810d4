import Foundation
import HeraldCore
import HeraldJourneys

extension HeraldCtl {
    /// `trail USER [--count N] --json`: each decision as one JSON object a line (`TrailRecord.json`),
    /// oldest first; `nil` without `--json`, which leaves the human form to the trail command.
    func runTrailJSON(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        guard command == "trail", options.flag("--json") else { return nil }
        let user = try options.requiredPositional("USER")
        let count = try options.integer("--count") ?? 50
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let entries = try await TrailReader.entries(user: user, count: count, keyspace: configuration.keyspace, connection: connection)
        for entry in entries {
            for record in entry.records { print(record.json(at: entry.at).serialized()) }
        }
        return 0
    }
}
