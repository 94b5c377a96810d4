import Foundation
import HeraldCore

/// One engine decision a simulation reports besides sends and exits: an entry, a refused entry, a
/// split, a wait reset, an action path taken, a conversion, a past-due timer, a skipped send, a
/// rendered message, a best send time, or an action step's profile or list change, webhook call or
/// journey start.
public struct SimulationDecision: Sendable, Hashable {
    /// What was decided.
    public var kind: SimulationDecisionKind
    /// When, on the virtual clock.
    public var at: Date
    /// The user.
    public var userId: String
    /// The journey id.
    public var journey: String
    /// The decision's own members (`instanceId`, `key`, `group`, `reason`, `because`, `revenue`, …).
    public var details: [String: JSONValue]

    /// Creates a decision.
    public init(kind: SimulationDecisionKind, at: Date, userId: String, journey: String, details: [String: JSONValue]) {
        self.kind = kind
        self.at = at
        self.userId = userId
        self.journey = journey
        self.details = details
    }

    /// One JSON object: `record` names the kind, then `at`, `userId`, `journey` and the details.
    public var json: JSONValue {
        var members = details
        members["record"] = .string(kind.rawValue)
        members["at"] = .string(ISO8601.format(at))
        members["userId"] = .string(userId)
        members["journey"] = .string(journey)
        return .object(members)
    }

    /// Milliseconds as `2d3h`, `7h`, `1h30m` or `45s`.
    static func span(_ milliseconds: Double) -> String {
        var rest = Int(milliseconds / 1000)
        var text = ""
        for (unit, seconds) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= seconds {
            text += "\(rest / seconds)\(unit)"
            rest %= seconds
        }
        return text.isEmpty ? "\(Int(milliseconds))ms" : text
    }

    func text(_ name: String) -> String { details[name]?.stringValue ?? "" }

    /// The words after the user and journey in a line for people.
    public var summary: String {
        switch kind {
        case .entered:
            let key = text("key").isEmpty ? "" : " key '\(text("key"))'"
            let group = text("group").isEmpty ? "" : " group '\(text("group"))'"
            let origin = details["startedBy"].map { " started by \($0["journey"]?.stringValue ?? "")/\($0["step"]?.stringValue ?? "")" } ?? ""
            return "v\(JSONValue.format(details["version"]?.numberValue ?? 0)) instance \(text("instanceId"))\(key)\(group)\(origin)"
        case .notEntered: return "\(text("because")): \(text("reason"))"
        case .split: return "\(text("step")) → '\(text("group"))' (\(text("assignment")))"
        case .reset:
            return "\(text("step")) wait restarted (\(JSONValue.format(details["resets"]?.numberValue ?? 0))), until \(text("until"))"
        case .path:
            let path = details["path"]?.numberValue.map { JSONValue.format($0) } ?? text("path")
            let label = text("name").isEmpty ? path : "'\(text("name"))'"
            let trigger = text("event").isEmpty ? "on the timeout" : "on '\(text("event"))'"
            return "\(text("step")) path \(label) \(trigger) → '\(text("next"))'"
        case .goal:
            let step = text("attributedStep")
            return "revenue \(JSONValue.format(details["revenue"]?.numberValue ?? 0)) "
                + (step.isEmpty ? "with no message sent" : "attributed to \(step) (\(text("idempotencyKey")))")
        case .pastDue:
            let step = text("step").isEmpty ? "trigger" : text("step")
            return "\(step) due \(text("dueAt")) handled \(Self.span(details["latenessMs"]?.numberValue ?? 0)) late: \(text("policy")) → \(text("decision"))"
        case .sendSkipped: return "\(text("step")) '\(text("template"))' not sent (past due)"
        case .sendCapped: return "\(text("step")) '\(text("template"))' not sent: \(text("reason"))"
        case .queued: return "instance \(text("instanceId")) queued by the entry throttle until \(text("until"))"
        case .profileUpdated:
            let set = details["set"]?.objectValue ?? [:]
            let parts = set.keys.sorted().map { "\($0)=\(set[$0]?.serialized() ?? "null")" }
                + (details["unset"]?.arrayValue ?? []).compactMap(\.stringValue).map { "-\($0)" }
                + (details["increment"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)+=\($0.value.serialized())" }
            return "\(text("step")) \(parts.joined(separator: " "))"
        case .listsUpdated:
            let added = (details["added"]?.arrayValue ?? []).compactMap(\.stringValue).map { "+" + $0 }
            let removed = (details["removed"]?.arrayValue ?? []).compactMap(\.stringValue).map { "-" + $0 }
            return "\(text("step")) " + ((added + removed).isEmpty ? "(no change)" : (added + removed).joined(separator: " "))
        case .webhookCall: return "\(text("step")) \(text("method")) \(text("url")) (\(text("idempotencyKey")))"
        case .journeyStarted: return "\(text("step")) → '\(text("target"))'"
        case .rendered:
            let message = details["message"]?.objectValue ?? [:]
            let call = message["url"]?.stringValue.map { "\(message["method"]?.stringValue ?? "") \($0)" }
            let first = call ?? ["subject", "title", "body", "text"].lazy.compactMap { message[$0]?.stringValue }.first ?? ""
            return "\(text("step")) \(text("channel")) '\(text("template"))': \(first.prefix(120))"
        case .sendTime:
            let count = JSONValue.format(details["engagements"]?.numberValue ?? 0)
            return "\(text("step")) best time \(text("time")) \(text("zone")) (\(text("basis")), \(count) opens and clicks), until \(text("until"))"
        }
    }
}
