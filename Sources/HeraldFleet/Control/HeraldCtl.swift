import Foundation
import HeraldCore

/// The operator's command line: `heraldctl COMMAND [options]`.
public struct HeraldCtl: Sendable {
    /// Settings from the environment (REDIS_URL, HERALD_PREFIX, HERALD_PARTITIONS).
    public var configuration: FleetConfiguration

    /// Creates the command line tool.
    public init(configuration: FleetConfiguration) {
        self.configuration = configuration
    }

    /// What `heraldctl help` prints.
    public static let usage = """
        usage: heraldctl COMMAND [options]

        Events
          publish FILE.jsonl            send Segment messages (one JSON object per line) to the ingest stream
          rejected [--count N]          show rejected payloads with their reasons
          dead-letter [--count N] [--json]
                                        entries that failed too often or could never succeed, with their errors
          dead-letter replay ID… | --stream S | --all [--again] [--dry-run]
                                        put dead letters back on their streams (each replay is recorded
                                        in herald:replays; one already replayed is skipped unless --again)
          deliveries [--count N] [--status S] [--json]
                                        the latest delivery records: status, user, journey/step, reason
                                        (--status unknown: sends parked after their sender stopped mid-call)
          deliveries replay KEY… | --unknown [--dry-run]
                                        send parked (unknown) messages again, by idempotency key or all
          status [--partitions]         per-stream length, pending, consumers and lag (partitions folded)
          channels stats [--json]       per channel: sent, delivered, opened, clicked, bounced, failed, suppressed, deferred …
          inbox USER [--count N] [--mark-read]
                                        a user's in-app inbox (newest first) and unread count; --mark-read resets it
        \(forgetUsage)

        \(extendedUsage)

        Environment: REDIS_URL (redis://[user:password@]host:port[/db]), HERALD_PREFIX, HERALD_PARTITIONS
        """

    /// Runs one command; returns the process exit code.
    public func run(_ arguments: [String]) async -> Int32 {
        guard let command = arguments.first else {
            print(Self.usage)
            return 2
        }
        var options = CommandOptions(Array(arguments.dropFirst()))
        do {
            if let code = try preflight(command, Array(arguments.dropFirst())) { return code }
            switch command {
            case "help", "-h", "--help":
                print(Self.usage)
                return 0
            case "publish":
                let file = try options.requiredPositional("FILE.jsonl")
                let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
                let sent = try await EventPublisher(keyspace: configuration.keyspace).publish(file: URL(fileURLWithPath: file), connection: connection)
                print("published \(sent) events to \(configuration.keyspace.ingest)")
            case "status":
                let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
                let rows = try await StreamStatus.collect(keyspace: configuration.keyspace, connection: connection)
                print(StreamStatus.table(options.flag("--partitions") ? rows : StreamStatus.aggregated(rows)))
            case "rejected":
                try await printEntries(configuration.keyspace.rejected, count: try options.integer("--count") ?? 20)
            default:
                if let handled = try await runExtended(command, options: &options) { return handled }
                FileHandle.standardError.write(Data("heraldctl: unknown command '\(command)'\n\n\(Self.usage)\n".utf8))
                return 2
            }
            return 0
        } catch let error as CommandOptionsError {
            FileHandle.standardError.write(Data("heraldctl: \(error)\n".utf8))
            return 2
        } catch {
            FileHandle.standardError.write(Data("heraldctl: \(Self.plainFileError(error) ?? "\(error)")\n".utf8))
            return 1
        }
    }

    /// Commands added by other parts of the tool (journeys, templates); `nil` when unknown.
    func runExtended(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        if let handled = try await runInboxCommand(command, options: &options) { return handled }
        if let handled = try await runForgetCommand(command, options: &options) { return handled }
        if let handled = try await runChannelsCommand(command, options: &options) { return handled }
        if let handled = try await runDeliveriesCommand(command, options: &options) { return handled }
        if let handled = try await runDeadLetterCommand(command, options: &options) { return handled }
        return try await runJourneyCommand(command, options: &options)
    }

    func printEntries(_ stream: RedisKey, count: Int) async throws {
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let reply = try await connection.send("XREVRANGE", stream, "+", "-", "COUNT", count)
        let entries = RedisConnection.parseEntries(reply.array ?? [], stream: stream).reversed()
        if entries.isEmpty { print("(no entries in \(stream))") }
        for entry in entries {
            var members: [String: JSONValue] = ["id": .string(entry.id)]
            for (field, value) in entry.fields { members[field] = .string(String(decoding: value, as: UTF8.self)) }
            print(JSONValue.object(members).serialized())
        }
    }
}
