import Foundation
import HeraldCore
import HeraldJourneys
import HeraldTemplates

extension HeraldCtl {
    /// Journey, template and audit commands.
    static let extendedUsage = """

        Journeys
          journeys validate DIR|FILE [--templates DIR]
                                        check journey files: every problem, each with its JSON path (line
                                        and column for JSON syntax), and that each step's template exists
                                        for its channel and every locale variant parses (templates from
                                        --templates, else $HERALD_CONFIG_DIR/templates, else ../templates)
          journeys publish DIR|FILE [--templates DIR]
                                        validate as above, then store changed journeys as new versions
                                        (evaluators reload live); nothing is stored if any file has a problem
          journeys list [--json]        published journeys and their versions
          journeys stats [--json]       per journey and step: entered, waiting, sent, exited, converted, revenue
          journeys stats JOURNEY [--json]
                                        the journey's split test: per group and holdout entered, sent,
                                        converted, conversion rate with its 95% interval (Wilson), and
                                        each variant's lift against the holdout with its interval, or
                                        that there are too few users to tell
          simulate --journeys DIR --events FILE.jsonl [--json] [--horizon-days N]
                                        replay events on a virtual clock, no Redis: what would be sent
                                        when, and every decision (entries with instance, key and split
                                        group; refused entries and why; splits; wait resets; conversions
                                        with revenue and attributed step; past-due timers and what their
                                        policy did)
          simulate --journeys DIR --events FILE.jsonl [--timer-lag DURATION] [--down FROM..TO] [--render] [--templates DIR] [--json] [--horizon-days N]
                                        --timer-lag handles every timer that much late; --down (ISO 8601
                                        times, repeatable) holds timers and events falling in it until
                                        TO, as a fleet that was down; --render adds each send's rendered
                                        message and the context it came from (templates from --templates,
                                        else $HERALD_CONFIG_DIR/templates, else ../templates)
          trail USER [--count N] [--json]
                                        why did (or didn't) this user get a message: the decision trail

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
                let templatesOption = try options.value("--templates")
                let path = URL(fileURLWithPath: try options.requiredPositional("DIR or FILE"))
                let isDirectory = (try? path.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
                let templates = try templateInventory(for: path, isDirectory: isDirectory, option: templatesOption)
                let issues = isDirectory
                    ? JourneyValidator.validate(directory: path, templates: templates)
                    : JourneyValidator.validate(data: try Data(contentsOf: path), file: path.lastPathComponent, templates: templates)
                for warning in try Self.journeyWarnings(path, isDirectory: isDirectory) { print(warning) }
                print(Self.templatesNote(templates))
                if issues.isEmpty {
                    print("ok: no issues in \(path.path)")
                    return 0
                }
                for issue in issues { print(issue) }
                print("\(issues.count) issue\(issues.count == 1 ? "" : "s")")
                return 1
            case "publish":
                let templatesOption = try options.value("--templates")
                let path = URL(fileURLWithPath: try options.requiredPositional("DIR or FILE"))
                let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
                let registry = JourneyRegistry(keyspace: configuration.keyspace)
                let isDirectory = (try? path.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
                let templates = try templateInventory(for: path, isDirectory: isDirectory, option: templatesOption)
                for warning in try Self.journeyWarnings(path, isDirectory: isDirectory) { print(warning) }
                print(Self.templatesNote(templates))
                let publications = try await registry.publish(path, connection: connection, templates: templates)
                for publication in publications {
                    print("\(publication.id) v\(publication.version) \(publication.isNew ? "published" : "unchanged")")
                }
                // A new date trigger concerns users who may send nothing before it is due, and a new
                // audience the users who already match it.
                let catalog = try await registry.load(connection: connection)
                let fresh = publications.filter(\.isNew).compactMap { catalog.journey(id: $0.id)?.trigger }
                let kinds = [fresh.contains { $0.date != nil } ? "date triggers" : nil, fresh.contains { $0.audience != nil } ? "audiences" : nil]
                    .compactMap { $0 }
                if !kinds.isEmpty {
                    let queued = try await registry.refreshAllUsers(connection: connection)
                    print("\(kinds.joined(separator: " and ")): asked the evaluators to check \(queued) known users")
                }
                return 0
            case "list":
                let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
                let catalog = try await JourneyRegistry(keyspace: configuration.keyspace).load(connection: connection)
                if options.flag("--json") {
                    for id in catalog.ids {
                        guard let journey = catalog.journey(id: id) else { continue }
                        print(JSONValue.object([
                            "id": .string(id), "version": .number(Double(journey.version)), "name": .string(journey.name),
                            "versions": .array(catalog.journeys.filter { $0.id == id }.map { .number(Double($0.version)) }),
                        ]).serialized())
                    }
                    return 0
                }
                let rows = catalog.ids.compactMap { id in catalog.journey(id: id).map { [id, "v\($0.version)", $0.name] } }
                print(TextTable.render(header: ["JOURNEY", "VERSION", "NAME"], rows: rows))
                return 0
            case "stats":
                let json = options.flag("--json")
                let named = options.positionals()
                if named.count > 1 { throw CommandOptionsError.unexpectedArgument(command: "journeys", argument: named[1]) }
                if let journey = named.first { return try await printExperiment(journey, json: json) }
                let rows = try await journeyStats()
                if json {
                    for row in rows {
                        var members: [String: JSONValue] = ["journey": .string(row.journey), "step": row.step == "_" ? .null : .string(row.step)]
                        for (name, value) in row.counters { members[name] = .number(value) }
                        print(JSONValue.object(members).serialized())
                    }
                } else if rows.isEmpty {
                    print("no journey statistics yet")
                } else {
                    print(TextTable.render(
                        header: ["JOURNEY", "STEP"] + Self.statCounters.map { $0.uppercased() },
                        rows: rows.map { row in
                            [row.journey, row.step == "_" ? "(journey)" : row.step] + Self.statCounters.map { JSONValue.format(row.counters[$0] ?? 0) }
                        }))
                }
                return 0
            default:
                throw CommandOptionsError.missingArgument("a journeys action: validate, publish, list or stats (got '\(action)')")
            }
        case "simulate":
            let journeys = URL(fileURLWithPath: try options.required("--journeys"))
            let events = URL(fileURLWithPath: try options.required("--events"))
            let horizonDays = try options.integer("--horizon-days") ?? 400
            let json = options.flag("--json")
            var lag: TimeInterval = 0
            if let text = try options.value("--timer-lag") {
                guard let duration = JourneyDuration(text) else {
                    throw CommandOptionsError.badValue(option: "--timer-lag", value: text, expected: "a duration such as 90m, 6h or 2d")
                }
                lag = duration.interval
            }
            var downtimes: [DateInterval] = []
            while let text = try options.value("--down") { downtimes.append(try Self.downtime(text)) }
            let render = options.flag("--render")
            let templatesOption = try options.value("--templates")
            var templates: TemplateLibrary?
            if render {
                guard let inventory = try templateInventory(for: journeys, isDirectory: true, option: templatesOption) else {
                    throw CommandOptionsError.missingOption("--templates (no templates directory found for --render)")
                }
                templates = try TemplateLibrary(directory: inventory.directory)
            }
            let records = try JourneySimulator.run(
                journeysDirectory: journeys, eventsFile: events, horizon: Double(horizonDays) * 86_400, timerLag: lag, downtimes: downtimes,
                templates: templates, brandName: settings.brandName)
            for record in records { print(json ? record.jsonLine : record.humanLine) }
            if !json {
                let sends = records.filter { $0.kind == "send" }.count, exits = records.filter { $0.kind == "exit" }.count
                print("\(sends) planned sends, \(exits) exits, \(records.count - sends - exits) other decisions")
            }
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

    /// The templates journeys at `path` are checked against: `--templates DIR` (which must exist),
    /// else `$HERALD_CONFIG_DIR/templates` (where senders read them), else `templates` beside the
    /// journeys' directory (`config/journeys` → `config/templates`); `nil` when none exists.
    func templateInventory(for path: URL, isDirectory: Bool, option: String?) throws -> TemplateInventory? {
        if let option { return try TemplateInventory(directory: URL(fileURLWithPath: option)) }
        var candidates: [URL] = []
        if let config = settings.configDirectory {
            candidates.append(URL(fileURLWithPath: config).appendingPathComponent("templates"))
        }
        let journeys = isDirectory ? path : path.deletingLastPathComponent()
        candidates.append(journeys.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("templates"))
        for candidate in candidates {
            var folder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &folder), folder.boolValue {
                return try TemplateInventory(directory: candidate)
            }
        }
        return nil
    }

    /// Says which templates the steps were checked against, or that they were not.
    static func templatesNote(_ templates: TemplateInventory?) -> String {
        guard let templates else {
            return "warning: templates not checked: no templates directory found (pass --templates DIR or set HERALD_CONFIG_DIR)"
        }
        return "templates: \(templates.directory.path) (\(templates.messageNames.count) message templates)"
    }

    /// What `JourneyValidator.warnings` finds in a file or directory as of now.
    static func journeyWarnings(_ path: URL, isDirectory: Bool) throws -> [JourneyValidationIssue] {
        isDirectory
            ? JourneyValidator.warnings(directory: path, now: Date())
            : JourneyValidator.warnings(data: try Data(contentsOf: path), file: path.lastPathComponent, now: Date())
    }

    /// A `--down FROM..TO` interval of ISO 8601 times, FROM before TO.
    static func downtime(_ text: String) throws(CommandOptionsError) -> DateInterval {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = ISO8601.parse(parts[0]), let to = ISO8601.parse(parts[1]), from < to else {
            throw .badValue(option: "--down", value: text, expected: "FROM..TO in ISO 8601, FROM before TO, e.g. 2026-03-02T14:00:00Z..2026-03-02T20:00:00Z")
        }
        return DateInterval(start: from, end: to)
    }

    /// The counters `journeys stats` shows, in column order.
    static let statCounters = ["entered", "waiting", "sent", "exited", "converted", "revenue", "actions"]

    /// Sums every partition's stats hashes into one row per journey and step (`_` for the
    /// journey's own counters), journeys in id order.
    func journeyStats() async throws -> [(journey: String, step: String, counters: [String: Double])] {
        let keyspace = configuration.keyspace
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let catalog = try await JourneyRegistry(keyspace: keyspace).load(connection: connection)
        var rows: [(journey: String, step: String, counters: [String: Double])] = []
        for id in catalog.ids {
            let replies = try await connection.pipeline(keyspace.allPartitions.map { .hgetall(keyspace.journeyStats($0, journey: id)) })
            var totals: [String: [String: Double]] = [:]
            for reply in replies {
                for (field, value) in reply.fieldPairs {
                    guard let number = value.string.flatMap(Double.init), let colon = field.lastIndex(of: ":") else { continue }
                    totals[String(field[..<colon]), default: [:]][String(field[field.index(after: colon)...]), default: 0] += number
                }
            }
            for step in totals.keys.sorted() {
                var counters: [String: Double] = [:]
                for name in Self.statCounters { counters[name] = totals[step]?[name] ?? 0 }
                rows.append((id, step, counters))
            }
        }
        return rows
    }
}
