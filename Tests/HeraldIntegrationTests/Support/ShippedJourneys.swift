import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTemplates
import HeraldTestSupport

/// The journeys shipped in `config/journeys`, loaded from the real files and rewritten so the real
/// clock runs them in seconds: every wait becomes a short one, windows and date triggers point at a
/// moment a few seconds away. Everything else (triggers, filters, entry rules, exits, goals,
/// tolerances such as `pastDueAfter` or `goal.within`) stays exactly as shipped.
enum ShippedJourneys {
    static var directory: URL { Executables.packageRoot.appendingPathComponent("config/journeys") }

    /// Every shipped journey id (the file names).
    static var ids: [String] {
        ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }.map { $0.deletingPathExtension().lastPathComponent }.sorted()
    }

    /// The shipped file as JSON.
    static func document(_ id: String) throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: directory.appendingPathComponent(id + ".json"))))
    }

    /// A real wait mapped to a short one, keeping the order of lengths: under an hour → 1 s,
    /// up to 2 days → 3 s, up to a week → 4 s, longer → 5 s.
    static func shortWait(_ duration: JourneyDuration) -> String {
        switch duration.seconds {
        case ..<3600: return "1s"
        case ...(2 * 86_400): return "3s"
        case ...(7 * 86_400): return "4s"
        default: return "5s"
        }
    }

    /// The journey `id` with short waits, and its windows and date triggers (fixed or recurring) moved to `moment`
    /// (read in the journey's default zone, as the shipped file's times are).
    static func rewritten(_ id: String, moment: Date? = nil) throws -> String {
        let original = try document(id)
        let zone = TimeZone(identifier: original["defaults"]?["timeZone"]?.stringValue ?? "UTC") ?? TimeZone(identifier: "UTC")!
        return rewrite(original, key: nil, moment: moment, zone: zone).serialized()
    }

    private static func rewrite(_ value: JSONValue, key: String?, moment: Date?, zone: TimeZone) -> JSONValue {
        switch value {
        case .string(let text):
            // Waits only: wait.duration, waitForEvent.timeout, inactivity.for.
            if let key, ["duration", "timeout", "for"].contains(key), let duration = JourneyDuration(text) {
                return .string(shortWait(duration))
            }
            return value
        case .array(let items):
            return .array(items.map { rewrite($0, key: nil, moment: moment, zone: zone) })
        case .object(var members):
            if let moment {
                if key == "window" {
                    let local = LocalMoment(moment, zone: zone)
                    let end = LocalMoment(moment.addingTimeInterval(120), zone: zone)
                    members["from"] = .string(local.time)
                    members["to"] = .string(end.time > local.time ? end.time : "23:59")
                    if members["days"] != nil { members["days"] = [.string(local.weekday)] }
                    return .object(members)
                }
                if key == "date" {
                    let local = LocalMoment(moment, zone: zone)
                    if members["time"] != nil { members["time"] = .string(local.time) }
                    if members["moment"] != nil { members["moment"] = .string(local.date + "T" + local.time) }
                    if members["recurring"] != nil {
                        // A yearly rule on the moment's local day: the same recurring path, due in seconds.
                        let parts = local.monthDay.split(separator: "-").compactMap { Double(String($0)) }
                        members["recurring"] = ["every": "year", "month": .number(parts[0]), "day": .number(parts[1])]
                        members["time"] = .string(local.time)
                    }
                }
            }
            for (name, member) in members { members[name] = rewrite(member, key: name, moment: moment, zone: zone) }
            return .object(members)
        default:
            return value
        }
    }

    /// The first whole minute at least `lead` seconds from now: date triggers and windows have
    /// minute precision.
    static func nextMinute(lead: TimeInterval) -> Date {
        let earliest = Date().addingTimeInterval(lead).timeIntervalSince1970
        return Date(timeIntervalSince1970: (earliest / 60).rounded(.up) * 60)
    }

    /// Whether the repo's templates can render `template` for `channel` (the sender's own check).
    static func renderable(_ template: String, channel: Channel) -> Bool {
        guard let library = try? TemplateLibrary(directory: Executables.packageRoot.appendingPathComponent("config/templates")),
            let message = try? library.message(named: template, locale: nil)
        else { return false }
        return message.missingParts(for: channel).isEmpty
    }
}

/// A moment's wall-clock parts in a zone.
struct LocalMoment {
    var date: String
    var time: String
    var monthDay: String
    var weekday: String

    init(_ moment: Date, zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: moment)
        func two(_ number: Int?) -> String { String(format: "%02d", number ?? 0) }
        date = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))"
        time = "\(two(parts.hour)):\(two(parts.minute))"
        monthDay = "\(two(parts.month))-\(two(parts.day))"
        weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][(parts.weekday ?? 1) - 1]
    }
}

/// One record of `herald:deliveries`.
struct DeliveryRecord: CustomStringConvertible {
    var fields: [String: String]

    init(_ entry: StreamEntry) {
        var fields: [String: String] = [:]
        for (name, value) in entry.fields { fields[name] = String(decoding: value, as: UTF8.self) }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }
    var status: String { fields["status"] ?? "" }
    var user: String { fields["userId"] ?? "" }
    var journey: String { fields["journey"] ?? "" }
    var step: String { fields["step"] ?? "" }
    var channel: String { fields["channel"] ?? "" }
    var template: String { fields["template"] ?? "" }
    var key: String { fields["id"] ?? "" }
    /// The journey instance (the idempotency key is `instance/step/n`).
    var instance: String { String(key.split(separator: "/").first ?? "") }
    var requestedAt: Date? { fields["requestedAt"].flatMap(ISO8601.parse) }
    var sentAt: Date? { fields["sentAt"].flatMap(ISO8601.parse) }
    var description: String { "\(status) \(user) \(journey)/\(step) \(channel) \(template) \(fields["reason"] ?? "")" }
}

extension FleetHarness {
    /// Every delivery record so far, in stream order.
    func records(_ connection: RedisConnection) async throws -> [DeliveryRecord] {
        try await deliveries(connection).map(DeliveryRecord.init)
    }

    /// A user's trail, flattened: every decision in evaluation order.
    func trail(_ connection: RedisConnection, user: String) async throws -> [JSONValue] {
        try await TrailReader.entries(user: user, count: 10_000, keyspace: keyspace, connection: connection).flatMap { entry in
            entry.records.map { $0.json(at: entry.at) }
        }
    }

    /// The trail entries of one kind for a journey.
    func trail(_ connection: RedisConnection, user: String, journey: String, kind: String) async throws -> [JSONValue] {
        try await trail(connection, user: user).filter { $0["journey"]?.stringValue == journey && $0["kind"]?.stringValue == kind }
    }

    /// The JSON messages a channel's outbox provider wrote (`<outbox>/<channel>/*.json`).
    func outboxMessages(_ channel: Channel) -> [JSONValue] {
        let folder = outbox.appendingPathComponent(channel.rawValue)
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "json" }.compactMap { try? JSONValue.parse(Array(Data(contentsOf: $0))) }
    }

    /// The `.eml` files' text.
    func emailTexts() -> [String] {
        emails().compactMap { try? String(contentsOf: $0, encoding: .utf8) }
    }
}

/// Segment messages for the shipped journeys' scenarios.
enum Segment {
    static func identify(_ user: String, _ id: String, traits: [String: JSONValue], at: Date = Date()) -> String {
        JSONValue.object([
            "type": "identify", "messageId": .string(id), "userId": .string(user), "traits": .object(traits),
            "timestamp": .string(ISO8601.format(at)),
        ]).serialized()
    }

    static func track(_ user: String, _ event: String, _ id: String, _ properties: [String: JSONValue] = [:], at: Date = Date()) -> String {
        JSONValue.object([
            "type": "track", "messageId": .string(id), "userId": .string(user), "event": .string(event),
            "properties": .object(properties), "timestamp": .string(ISO8601.format(at)), "context": ["library": ["name": "analytics.js"]],
        ]).serialized()
    }
}

extension FleetHarness {
    /// The trail entries of one kind for a user, across journeys.
    func trail(_ connection: RedisConnection, user: String, kind: String) async throws -> [JSONValue] {
        try await trail(connection, user: user).filter { $0["kind"]?.stringValue == kind }
    }
}
