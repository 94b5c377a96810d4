import Foundation
import HeraldCore
import HeraldJourneys
import HeraldTemplates

extension HeraldCtl {
    /// Journey, template and audit commands.
    static let extendedUsage = """

        Journeys
          journeys validate DIR|FILE    check journey files; each error names its JSON path
          journeys publish DIR|FILE     store changed journeys as new versions (evaluators reload live)
          journeys list                 published journeys and their versions
          journeys stats                per journey and step: entered, waiting, sent, exited, converted, revenue
          simulate --journeys DIR --events FILE.jsonl [--json] [--horizon-days N]
                                        replay events on a virtual clock, no Redis: what would be sent when
          trail USER [--count N]        why did (or didn't) this user get a message: the decision trail

        Templates
          render --template FILE --data FILE.json [--partials DIR] [--locale L]
                                        preview a template with sample data
        """

    /// Runs the journey, template and trail commands; `nil` when `command` is none of them.
    func runJourneyCommand(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        switch command {
        case "journeys":
            let action = try options.requiredPositional("journeys ACTION (validate, publish, list, stats)")
            switch action {
            case "validate":
                let path = URL(fileURLWithPath: try options.requiredPositional("DIR or FILE"))
                let isDirectory = (try? path.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
                let issues = isDirectory
                    ? JourneyValidator.validate(directory: path)
                    : JourneyValidator.validate(data: try Data(contentsOf: path), file: path.lastPathComponent)
                for warning in try Self.journeyWarnings(path, isDirectory: isDirectory) { print(warning) }
                if issues.isEmpty {
                    print("ok: no issues in \(path.path)")
                    return 0
                }
                for issue in issues { print(issue) }
                print("\(issues.count) issue\(issues.count == 1 ? "" : "s")")
                return 1
            case "publish":
                let path = URL(fileURLWithPath: try options.requiredPositional("DIR or FILE"))
                let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
                let registry = JourneyRegistry(keyspace: configuration.keyspace)
                let isDirectory = (try? path.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
                for warning in try Self.journeyWarnings(path, isDirectory: isDirectory) { print(warning) }
                let publications = try await registry.publish(path, connection: connection)
                for publication in publications {
                    print("\(publication.id) v\(publication.version) \(publication.isNew ? "published" : "unchanged")")
                }
                // A new date trigger concerns users who may send nothing before it is due.
                let catalog = try await registry.load(connection: connection)
                if publications.contains(where: { $0.isNew && catalog.journey(id: $0.id)?.trigger.date != nil }) {
                    let queued = try await registry.refreshAllUsers(connection: connection)
                    print("date triggers: asked the evaluators to schedule them for \(queued) known users")
                }
                return 0
            case "list":
                let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
                let catalog = try await JourneyRegistry(keyspace: configuration.keyspace).load(connection: connection)
                let rows = catalog.ids.compactMap { id in catalog.journey(id: id).map { [id, "v\($0.version)", $0.name] } }
                print(TextTable.render(header: ["JOURNEY", "VERSION", "NAME"], rows: rows))
                return 0
            case "stats":
                print(try await journeyStatsTable())
                return 0
            default:
                throw CommandOptionsError.missingArgument("a journeys action: validate, publish, list or stats (got '\(action)')")
            }
        case "simulate":
            let journeys = URL(fileURLWithPath: try options.required("--journeys"))
            let events = URL(fileURLWithPath: try options.required("--events"))
            let horizonDays = try options.integer("--horizon-days") ?? 400
            let json = options.flag("--json")
            let records = try JourneySimulator.run(journeysDirectory: journeys, eventsFile: events, horizon: Double(horizonDays) * 86_400)
            for record in records { print(json ? record.jsonLine : record.humanLine) }
            if !json { print("\(records.count) planned sends and exits") }
            return 0
        case "render":
            let template = URL(fileURLWithPath: try options.required("--template"))
            let data = URL(fileURLWithPath: try options.required("--data"))
            let partials = try options.value("--partials").map { URL(fileURLWithPath: $0) }
            let locale = try options.value("--locale")
            print(try TemplateLibrary.renderPreview(templateFile: template, data: data, partialsDirectory: partials, locale: locale))
            return 0
        case "trail":
            let user = try options.requiredPositional("USER")
            let count = try options.integer("--count") ?? 50
            let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
            let entries = try await TrailReader.entries(user: user, count: count, keyspace: configuration.keyspace, connection: connection)
            if entries.isEmpty {
                print("no decisions recorded for \(user): no journey has seen an event of this user (check `heraldctl rejected` for their events)")
                return 0
            }
            // Compact entries are rendered from their codes; older JSON entries keep their sentence.
            // Each requested send shows its latest outcome (the senders' trail entries) beside it.
            let outcomes = TrailRecord.outcomes(in: entries.flatMap(\.records))
            for entry in entries {
                let at = ISO8601.format(entry.at)
                for record in entry.records {
                    let step = record.step.map { " [\($0)]" } ?? ""
                    var line = "\(at)  \(record.journey)\(step)  \(record.code): \(record.sentence)"
                    if record.code == "sendRequested", let key = record.sendKey {
                        line += "  → " + (outcomes[key].map { "\($0.code): \($0.sentence)" } ?? "no outcome recorded yet")
                    }
                    print(line)
                }
            }
            return 0
        default:
            return nil
        }
    }

    /// What `JourneyValidator.warnings` finds in a file or directory as of now.
    static func journeyWarnings(_ path: URL, isDirectory: Bool) throws -> [JourneyValidationIssue] {
        isDirectory
            ? JourneyValidator.warnings(directory: path, now: Date())
            : JourneyValidator.warnings(data: try Data(contentsOf: path), file: path.lastPathComponent, now: Date())
    }

    /// Sums every partition's stats hashes into one table per journey and step.
    func journeyStatsTable() async throws -> String {
        let keyspace = configuration.keyspace
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let catalog = try await JourneyRegistry(keyspace: keyspace).load(connection: connection)
        let counters = ["entered", "waiting", "sent", "exited", "converted", "revenue"]
        var rows: [[String]] = []
        for id in catalog.ids {
            let replies = try await connection.pipeline(keyspace.allPartitions.map { RedisCommand("HGETALL", [keyspace.journeyStats($0, journey: id)]) })
            var totals: [String: [String: Double]] = [:]
            for reply in replies {
                for (field, value) in reply.fieldPairs {
                    guard let number = value.string.flatMap(Double.init), let colon = field.lastIndex(of: ":") else { continue }
                    totals[String(field[..<colon]), default: [:]][String(field[field.index(after: colon)...]), default: 0] += number
                }
            }
            for step in totals.keys.sorted() {
                rows.append([id, step == "_" ? "(journey)" : step] + counters.map { JSONValue.format(totals[step]?[$0] ?? 0) })
            }
        }
        if rows.isEmpty { return "no journey statistics yet" }
        return TextTable.render(header: ["JOURNEY", "STEP"] + counters.map { $0.uppercased() }, rows: rows)
    }
}
