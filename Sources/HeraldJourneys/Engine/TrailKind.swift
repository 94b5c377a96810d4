import Foundation
import HeraldCore

/// What a trail entry records.
public enum TrailKind: Sendable, Hashable {
    /// The user entered, with the instance's concurrency key ('' when the journey has none).
    case entered(key: String)
    /// A trigger matched but the user did not enter.
    case notEntered(reason: String)
    /// The instance (or a journey-level trigger) waits until a time.
    case waitingUntil(Date)
    /// A new trigger restarted the current wait.
    case waitReset(count: Int)
    /// A timer fired, this late.
    case timerFired(latenessMs: Int)
    /// A timer arrived that no longer matches the state and was ignored.
    case staleTimer
    /// A branch arm (or the default) was chosen.
    case branchTaken(String)
    /// A split group was chosen.
    case splitAssigned(String)
    /// An awaited event arrived.
    case eventReceived(String)
    /// A send was requested.
    case sendRequested(channel: Channel, template: String, idempotencyKey: String)
    /// A send was skipped by the past-due policy.
    case sendSkipped(template: String)
    /// A timer was past due; the policy applied.
    case pastDue(policy: String, latenessMs: Int)
    /// The instance ended.
    case exited(reason: String)
    /// The goal was reached.
    case goalReached(revenue: Double, attributedStep: String?, idempotencyKey: String?)
    /// Another identity of the person (`anon:<anonymousId>`, an aliased id) was merged into this
    /// user; on an instance's line, that instance came with it.
    case identityMerged(from: String)

    /// A stable code for dashboards.
    public var code: String {
        switch self {
        case .entered: return "entered"
        case .notEntered: return "notEntered"
        case .waitingUntil: return "waitingUntil"
        case .waitReset: return "waitReset"
        case .timerFired: return "timerFired"
        case .staleTimer: return "staleTimer"
        case .branchTaken: return "branchTaken"
        case .splitAssigned: return "splitAssigned"
        case .eventReceived: return "eventReceived"
        case .sendRequested: return "sendRequested"
        case .sendSkipped: return "sendSkipped"
        case .pastDue: return "pastDue"
        case .exited: return "exited"
        case .goalReached: return "goalReached"
        case .identityMerged: return "identityMerged"
        }
    }

    /// The kind's own details as JSON members.
    public var details: [String: JSONValue] {
        switch self {
        case .entered(let key): return key.isEmpty ? [:] : ["key": .string(key)]
        case .staleTimer: return [:]
        case .notEntered(let reason), .exited(let reason): return ["reason": .string(reason)]
        case .waitingUntil(let date): return ["until": .string(ISO8601.format(date))]
        case .waitReset(let count): return ["resets": .number(Double(count))]
        case .timerFired(let lateness): return ["latenessMs": .number(Double(lateness))]
        case .branchTaken(let target): return ["next": .string(target)]
        case .splitAssigned(let group): return ["group": .string(group)]
        case .eventReceived(let name): return ["event": .string(name)]
        case .sendRequested(let channel, let template, let key):
            return ["channel": .string(channel.rawValue), "template": .string(template), "idempotencyKey": .string(key)]
        case .sendSkipped(let template): return ["template": .string(template)]
        case .pastDue(let policy, let lateness): return ["policy": .string(policy), "latenessMs": .number(Double(lateness))]
        case .goalReached(let revenue, let step, let key):
            var members: [String: JSONValue] = ["revenue": .number(revenue)]
            if let step { members["attributedStep"] = .string(step) }
            if let key { members["idempotencyKey"] = .string(key) }
            return members
        case .identityMerged(let source): return ["from": .string(source)]
        }
    }
}
