import Foundation
import HeraldCore

/// One line of a simulation's output: a planned send, an exit, or another decision.
public enum SimulationRecord: Sendable, Hashable {
    /// A send the fleet would request.
    case send(at: Date, userId: String, journey: String, step: String, channel: Channel, template: String)
    /// An instance ending; `exit` is the reason's code (`completed`, `exitEvent`, `holdout`, `pastDue`,
    /// `exitStep`, …) and `reason` the full reason.
    case exit(at: Date, userId: String, journey: String, exit: String, reason: String)
    /// An entry, a refused entry, a split, a reset, a conversion, a past-due timer, a skipped send or a rendered message.
    case decision(SimulationDecision)

    /// When it happens on the virtual clock.
    public var at: Date {
        switch self {
        case .send(let at, _, _, _, _, _), .exit(let at, _, _, _, _): return at
        case .decision(let decision): return decision.at
        }
    }

    /// The user.
    public var userId: String {
        switch self {
        case .send(_, let userId, _, _, _, _), .exit(_, let userId, _, _, _): return userId
        case .decision(let decision): return decision.userId
        }
    }

    /// The journey id.
    public var journey: String {
        switch self {
        case .send(_, _, let journey, _, _, _), .exit(_, _, let journey, _, _): return journey
        case .decision(let decision): return decision.journey
        }
    }

    /// The `record` member of its JSON line: `send`, `exit`, or the decision's kind.
    public var kind: String {
        switch self {
        case .send: return "send"
        case .exit: return "exit"
        case .decision(let decision): return decision.kind.rawValue
        }
    }

    /// One JSON object with exactly the record's keys, `record` naming its kind.
    public var jsonLine: String {
        switch self {
        case .send(let at, let userId, let journey, let step, let channel, let template):
            return JSONValue.object([
                "record": "send", "at": .string(ISO8601.format(at)), "userId": .string(userId), "journey": .string(journey),
                "step": .string(step), "channel": .string(channel.rawValue), "template": .string(template),
            ]).serialized()
        case .exit(let at, let userId, let journey, let exit, let reason):
            return JSONValue.object([
                "record": "exit", "at": .string(ISO8601.format(at)), "userId": .string(userId), "journey": .string(journey),
                "exit": .string(exit), "reason": .string(reason),
            ]).serialized()
        case .decision(let decision):
            return decision.json.serialized()
        }
    }

    /// A line for people.
    public var humanLine: String {
        switch self {
        case .send(let at, let userId, let journey, let step, let channel, let template):
            return "\(ISO8601.format(at))  SEND  \(userId)  \(journey)/\(step)  \(channel.rawValue) '\(template)'"
        case .exit(let at, let userId, let journey, let exit, let reason):
            return "\(ISO8601.format(at))  EXIT  \(userId)  \(journey)  \(exit)" + (reason == exit ? "" : " (\(reason))")
        case .decision(let decision):
            let label = decision.kind.rawValue.unicodeScalars.reduce(into: "") { text, scalar in
                if CharacterSet.uppercaseLetters.contains(scalar) { text += "-" }
                text += String(scalar).uppercased()
            }
            return "\(ISO8601.format(decision.at))  \(label)  \(decision.userId)  \(decision.journey)  \(decision.summary)"
        }
    }
}
