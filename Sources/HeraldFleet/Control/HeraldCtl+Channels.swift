import Foundation
import HeraldCore

extension HeraldCtl {
    /// `channels stats`: delivery counters per channel and status; `nil` for other commands.
    func runChannelsCommand(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        guard command == "channels" else { return nil }
        let action = try options.requiredPositional("channels ACTION (stats)")
        guard action == "stats" else {
            FileHandle.standardError.write(Data("heraldctl: unknown channels action '\(action)'\n".utf8))
            return 2
        }
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let stats = try await ChannelStats.collect(keyspace: configuration.keyspace, connection: connection)
        if options.flag("--json") {
            print(JSONValue.object(stats.counts.mapValues { .object($0.mapValues { .number(Double($0)) }) }).serialized())
        } else {
            print(stats.table)
        }
        return 0
    }
}
