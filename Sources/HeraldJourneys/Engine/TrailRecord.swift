import Foundation
import HeraldCore

/// One decision of a user's trail in the compact form it is stored in: codes and ids, no prose.
///
/// A trail entry (an element of the user's capped trail list) holds the decisions of one input:
/// its time in Unix milliseconds on the first line, then one line per decision,
/// `code|journey|version|instance|step|detail…`, or `code|^|step|detail…` for a decision of the
/// same journey, version and instance as the line before it (`code|^^|detail…`: and step). An engine code is stored as its one
/// letter (`shortCodes`; lines with the full code still read). The key names the user, so the user
/// is not repeated. An instance id `<journey>-<hash>` is stored as `-<hash>`, and a detail beginning
/// with the instance id (an idempotency key) as `~` and the rest; a reason in fixed words is
/// `=<code>`. `|`, a newline, `~`, `=`, a leading `-` and `%` inside a value are percent-encoded. `heraldctl trail` renders the sentences
/// (`sentence`); entries in the older form (a stream entry whose field `entries` holds JSON with
/// a `message`) still read.
public struct TrailRecord: Sendable, Hashable {
    /// `TrailKind.code`, or a send's outcome (`outcomeCodes`), or a sender's note.
    public var code: String
    /// The journey id.
    public var journey: String
    /// The journey version (0 when unknown).
    public var version: Int
    /// The instance, when there is one.
    public var instanceId: String?
    /// The step, when there is one.
    public var step: String?
    /// The kind's details, in `TrailKind.compactDetails` order.
    public var details: [String]
    /// The sentence stored by an older entry; rendered instead of `sentence` when present.
    public var storedMessage: String?

    /// Creates a record.
    public init(code: String, journey: String, version: Int, instanceId: String?, step: String?, details: [String], storedMessage: String? = nil) {
        self.code = code
        self.journey = journey
        self.version = version
        self.instanceId = instanceId
        self.step = step
        self.details = details
        self.storedMessage = storedMessage
    }

    /// The one-letter form of each engine code in a stored line; other codes (senders' notes) are
    /// stored whole. Codes are never reused: a letter means the same code in every stored entry.
    static let shortCodes: [String: String] = [
        "entered": "E", "notEntered": "N", "waitingUntil": "W", "waitReset": "R", "timerFired": "F", "staleTimer": "S",
        "branchTaken": "B", "splitAssigned": "A", "eventReceived": "V", "sendRequested": "Q", "sendSkipped": "K", "pastDue": "P",
        "exited": "X", "goalReached": "G", "sent": "Y", "delivered": "D", "reported": "O", "failed": "L", "suppressed": "U",
        "deferred": "H", "quietHoursHeld": "Q2", "unknown": "Z", "timeZoneInvalid": "T2", "sendTimeChosen": "ST",
        "pathTaken": "V2",
        "sendCapped": "K2", "entryQueued": "E2",
        // Action steps (docs/journeys.md#action-steps).
        "profileUpdated": "PU", "webhookRequested": "WC", "journeyStarted": "JS", "startedBy": "SB", "listsUpdated": "LU",
        "identityMerged": "I",
    ]
    static let codesByShort = Dictionary(uniqueKeysWithValues: shortCodes.map { ($0.value, $0.key) })

    /// Reasons the engine states in fixed words, stored as `=<code>` (a date trigger's profile
    /// check runs for every journey on every identify, so its reason is the most frequent line).
    static let reasonCodes: [String: String] = ["the profile does not meet the trigger's conditions": "profile"]
    static let reasonsByCode = Dictionary(uniqueKeysWithValues: reasonCodes.map { ($0.value, $0.key) })
    /// Reasons in fixed words around numbers, stored as `=<code>:<value>:<value>…` (the last value
    /// takes the rest): the engine's live-instance caps, which refuse every trigger over the cap.
    static let reasonTemplates: [(code: String, parts: [String])] = [
        ("cap", ["the user already has ", " live instance(s); the cap is ", ""]),
        ("most", ["the user has ", " live instances across journeys (the most kept)"]),
    ]

    /// `detail` as a reason template's code and values, when it is one.
    static func templated(_ detail: String) -> String? {
        // Every template starts "the user": most details are ids and are ruled out by their first byte.
        guard detail.utf8.first == UInt8(ascii: "t") else { return nil }
        for template in reasonTemplates {
            guard detail.hasPrefix(template.parts[0]), detail.hasSuffix(template.parts[template.parts.count - 1]) else { continue }
            var rest = Substring(detail.dropFirst(template.parts[0].count).dropLast(template.parts[template.parts.count - 1].count))
            var values: [Substring] = []
            for separator in template.parts.dropFirst().dropLast() {
                guard let range = rest.range(of: separator) else { break }
                values.append(rest[..<range.lowerBound])
                rest = rest[range.upperBound...]
            }
            values.append(rest)
            guard values.count == template.parts.count - 1, values.dropLast().allSatisfy({ !$0.contains(":") }) else { continue }
            let compact = "=" + ([template.code] + values.map(String.init)).joined(separator: ":")
            // Only when reading it back gives the same words.
            guard untemplated(String(compact.dropFirst())) == detail else { continue }
            return compact
        }
        return nil
    }

    /// The words of a stored `<code>:<value>…` reason template, or `nil`.
    static func untemplated(_ text: String) -> String? {
        let pieces = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let template = reasonTemplates.first(where: { $0.code == pieces[0] }), pieces.count == 2 else { return nil }
        let values = pieces[1].split(separator: ":", maxSplits: template.parts.count - 2, omittingEmptySubsequences: false)
        guard values.count == template.parts.count - 1 else { return nil }
        var words = template.parts[0]
        for (value, part) in zip(values, template.parts.dropFirst()) { words += value + part }
        return words
    }

    /// The record of an engine decision.
    public init(_ entry: TrailEntry) {
        self.init(
            code: entry.kind.code, journey: entry.journey, version: entry.version, instanceId: entry.instanceId, step: entry.step,
            details: entry.kind.compactDetails)
    }

    /// The compact line.
    public var line: String {
        var instance = instanceId ?? ""
        let journeyPrefix = journey + "-"
        if let id = instanceId, id.hasPrefix(journeyPrefix) {
            instance = "-" + Self.escape(String(id.dropFirst(journeyPrefix.count)))
        } else if instance.hasPrefix("-") {
            instance = "%2D" + Self.escape(String(instance.dropFirst()))
        } else {
            instance = Self.escape(instance)
        }
        let compactDetails = details.map { detail -> String in
            if let reason = Self.reasonCodes[detail] { return "=" + reason }
            if let compact = Self.templated(detail), !compact.utf8.contains(where: { $0 == 0x7C || $0 == 0x0A || $0 == 0x25 }) { return compact }
            guard let id = instanceId, !id.isEmpty, detail.hasPrefix(id) else { return Self.escape(detail) }
            return "~" + Self.escape(String(detail.dropFirst(id.count)))
        }
        return ([Self.shortCodes[code] ?? Self.escape(code), Self.escape(journey), String(version), instance, Self.escape(step ?? "")] + compactDetails)
            .joined(separator: "|")
    }

    /// One trail entry: the time, then the records' lines.
    public static func encodeEntry(_ records: [TrailRecord], atMilliseconds: Int64) -> String {
        ([String(atMilliseconds)] + lines(records)).joined(separator: "\n")
    }

    /// The records' lines, each naming its journey, version and instance only when they differ
    /// from the line before.
    static func lines(_ records: [TrailRecord]) -> [String] {
        var previous: TrailRecord?
        return records.map { record in
            defer { previous = record }
            guard let previous, previous.journey == record.journey, previous.version == record.version,
                previous.instanceId == record.instanceId
            else { return record.line }
            let full = record.line.split(separator: "|", omittingEmptySubsequences: false)
            if previous.step == record.step { return ([full[0], "^^"] + full.dropFirst(5)).joined(separator: "|") }
            return ([full[0], "^"] + full.dropFirst(4)).joined(separator: "|")
        }
    }

    /// The time and records of one trail entry; `nil` when it does not start with a time.
    public static func decodeEntry(_ text: String) -> (atMilliseconds: Int64, records: [TrailRecord])? {
        let firstLine = text.prefix { $0 != "\n" }
        guard let at = Int64(firstLine) else { return nil }
        return (at, decode(String(text.dropFirst(firstLine.count))))
    }

    /// Reads the records of compact lines; a line that is not a record is skipped.
    public static func decode(_ text: String) -> [TrailRecord] {
        var previous: TrailRecord?
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            var parts = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            if parts.count >= 2, parts[1] == "^" || parts[1] == "^^", let before = previous {
                // The same journey, version and instance as the line before (`^^`: and step).
                var instance = before.instanceId.map { $0.hasPrefix(before.journey + "-") ? "-" + escape(String($0.dropFirst(before.journey.count + 1))) : escape($0) } ?? ""
                if instance.hasPrefix("-"), let id = before.instanceId, !id.hasPrefix(before.journey + "-") { instance = "%2D" + escape(String(id.dropFirst())) }
                let head = [parts[0], escape(before.journey), String(before.version), instance]
                parts = parts[1] == "^^" ? head + [escape(before.step ?? "")] + parts.dropFirst(2) : head + parts.dropFirst(2)
            }
            guard parts.count >= 5 else { return nil }
            let journey = unescape(parts[1])
            var instance: String? = parts[3].isEmpty ? nil : unescape(parts[3])
            if parts[3].hasPrefix("-") { instance = journey + unescape(parts[3]) }
            let details = parts.dropFirst(5).map { part -> String in
                if part.hasPrefix("~"), let instance { return instance + unescape(String(part.dropFirst())) }
                if part.hasPrefix("="), let reason = reasonsByCode[String(part.dropFirst())] { return reason }
                if part.hasPrefix("="), let reason = untemplated(String(part.dropFirst())) { return reason }
                return unescape(part)
            }
            let record = TrailRecord(
                code: codesByShort[parts[0]] ?? unescape(parts[0]), journey: journey, version: Int(parts[2]) ?? 0, instanceId: instance,
                step: parts[4].isEmpty ? nil : unescape(parts[4]), details: details)
            previous = record
            return record
        }
    }

    /// A record of an entry in the older JSON form (`TrailEntry.json` or a sender's note).
    public init?(legacy json: JSONValue) {
        guard let code = json["kind"]?.stringValue else { return nil }
        self.init(
            code: code, journey: json["journey"]?.stringValue ?? "", version: json["version"]?.numberValue.map { Int($0) } ?? 0,
            instanceId: json["instanceId"]?.stringValue, step: json["step"]?.stringValue, details: [],
            storedMessage: json["message"]?.stringValue ?? "")
    }

    static func escape(_ text: String) -> String {
        // Bytes, not Characters: this runs on every field of every trail line, and grapheme
        // breaking made it a tenth of the evaluator's CPU.
        guard text.utf8.contains(where: { $0 == 0x7C || $0 == 0x0A || $0 == 0x25 || $0 == 0x7E || $0 == 0x3D }) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "%": escaped += "%25"
            case "|": escaped += "%7C"
            case "\n": escaped += "%0A"
            case "~": escaped += "%7E"
            case "=": escaped += "%3D"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("%") else { return text }
        return text.replacingOccurrences(of: "%7C", with: "|").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%7E", with: "~").replacingOccurrences(of: "%2D", with: "-").replacingOccurrences(of: "%3D", with: "=").replacingOccurrences(of: "%25", with: "%")
    }
}
