import Foundation
import HeraldCore

/// The operator's command line: `heraldctl COMMAND [options]`.
public struct HeraldCtl: Sendable {
    /// What heraldctl read from its environment.
    public var settings: HeraldCtlConfiguration
    /// Redis and the keyspace (REDIS_URL, HERALD_PREFIX, HERALD_PARTITIONS).
    public var configuration: FleetConfiguration { settings.fleet }

    /// Creates the command line tool.
    public init(configuration: HeraldCtlConfiguration) {
        settings = configuration
    }

    /// What `heraldctl help` prints.
    public static let usage = """
        usage: heraldctl COMMAND [options]        (heraldctl COMMAND --help: that command's usage)

        Events
          publish FILE.jsonl            send Segment messages (one JSON object per line) to the ingest stream
          rejected [--count N] [--json]
                                        rejected payloads (decoded) with their reasons
          dead-letter [--count N] [--json]
                                        entries that failed too often or could never succeed, with their errors
          dead-letter replay ID… | --stream S | --all [--again] [--dry-run]
                                        put dead letters back on their streams (each replay is recorded
                                        in herald:replays; one already replayed is skipped unless --again)
          deliveries [--count N] [--status S] [--user U] [--journey J] [--json]
                                        the latest delivery records: status, user, journey/step, reason
                                        (--status unknown: sends parked after their sender stopped mid-call;
                                        --user, --journey: only that user's or journey's records)
          deliveries replay KEY… | --unknown [--dry-run]
                                        send parked (unknown) messages again, by idempotency key or all
          status [--partitions] [--json]
                                        per-stream length, pending, consumers and lag (partitions folded)
          channels stats [--json]       per channel: sent, delivered, opened, clicked, bounced, failed, suppressed, deferred …
          inbox USER [--count N] [--mark-read] [--json]
                                        a user's in-app inbox (newest first) and unread count; --mark-read resets it
        \(listsUsage)
        \(forgetUsage)

        \(extendedUsage)

        Configuration
          config docs                   docs/configuration.md: every environment variable, generated from the table
                                        every process checks at start

        --json prints one JSON object per line; fields that hold JSON are JSON, not strings.
        Exit status: 0 done, 1 failed (a file, Redis or validation problem, said in plain words), 2 usage error.
        Environment: REDIS_URL (redis://[user:password@]host:port[/db]), HERALD_PREFIX, HERALD_PARTITIONS (docs/configuration.md);
        a bad value or an unknown HERALD_* variable is an error naming it.
        """

    /// Runs one command; returns the process exit code.
    public func run(_ arguments: [String]) async -> Int32 {
        guard let command = arguments.first else {
            FileHandle.standardError.write(Data("\(Self.usage)\n".utf8))
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
                let collected = try await StreamStatus.collect(keyspace: configuration.keyspace, connection: connection)
                let rows = options.flag("--partitions") ? collected : StreamStatus.aggregated(collected)
                if options.flag("--json") {
                    for row in rows { print(row.json.serialized()) }
                } else {
                    print(StreamStatus.table(rows))
                }
            case "rejected":
                try await printRejected(count: try options.integer("--count") ?? 20, json: options.flag("--json"))
            default:
                if let handled = try await runExtended(command, options: &options) { return handled }
                FileHandle.standardError.write(Data("heraldctl: unknown command '\(command)'\n\n\(Self.usage)\n".utf8))
                return 2
            }
            return 0
        } catch let error as CommandOptionsError {
            FileHandle.standardError.write(Data("heraldctl: \(error)\n\(Self.usageLines(for: command))\n".utf8))
            return 2
        } catch {
            let plain = Self.plainFileError(error) ?? Self.plainRedisError(error, configuration: configuration.redis) ?? "\(error)"
            FileHandle.standardError.write(Data("heraldctl: \(plain)\n".utf8))
            return 1
        }
    }

    /// Commands added by other parts of the tool (journeys, templates); `nil` when unknown.
    func runExtended(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        if let handled = try await runInboxCommand(command, options: &options) { return handled }
        if let handled = try await runListsCommand(command, options: &options) { return handled }
        if let handled = try await runForgetCommand(command, options: &options) { return handled }
        if let handled = try await runChannelsCommand(command, options: &options) { return handled }
        if let handled = try await runDeliveriesCommand(command, options: &options) { return handled }
        if let handled = try await runDeadLetterCommand(command, options: &options) { return handled }
        if let handled = try await runTrailJSON(command, options: &options) { return handled }
        return try await runJourneyCommand(command, options: &options)
    }
}
