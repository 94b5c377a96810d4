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
    /// A `waitForEvent` action path was taken: the event, the path's position and name, its next step.
    case pathTaken(event: String, path: Int, name: String?, next: String)
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
    /// A send was skipped by a journey's or step's frequency cap (`cap` says which, in words).
    case sendCapped(template: String, cap: String)
    /// The entry throttle queued the entry until its reserved slot.
    case entryQueued(until: Date)
    /// A `bestTime` wait chose its local time: learned from opens and clicks, or the fallback and why.
    case sendTimeChosen(time: LocalTime, basis: SendTimeBasis, engagements: Int, zone: String)
    /// An `updateProfile` step changed these traits (`ProfileUpdate.summary`: names, no values).
    case profileUpdated(summary: String)
    /// A `callWebhook` step asked the webhook sender to call (the URL as written, before rendering).
    case webhookRequested(method: String, url: String, idempotencyKey: String)
    /// A `startJourney` step asked to enter the user into this journey.
    case journeyStarted(target: String)
    /// This instance was entered by another journey's `startJourney` step.
    case startedBy(journey: String, instanceId: String, step: String)
    /// An `updateLists` step joined and left these lists (real changes only).
    case listsUpdated(added: [String], removed: [String])
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
        case .pathTaken: return "pathTaken"
        case .sendRequested: return "sendRequested"
        case .sendSkipped: return "sendSkipped"
        case .pastDue: return "pastDue"
        case .exited: return "exited"
        case .goalReached: return "goalReached"
        case .sendCapped: return "sendCapped"
        case .entryQueued: return "entryQueued"
        case .sendTimeChosen: return "sendTimeChosen"
        case .profileUpdated: return "profileUpdated"
        case .webhookRequested: return "webhookRequested"
        case .journeyStarted: return "journeyStarted"
        case .startedBy: return "startedBy"
        case .listsUpdated: return "listsUpdated"
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
        case .pathTaken(let event, let path, let name, let next):
            var members: [String: JSONValue] = ["event": .string(event), "path": .number(Double(path)), "next": .string(next)]
            if let name { members["name"] = .string(name) }
            return members
        case .sendRequested(let channel, let template, let key):
            return ["channel": .string(channel.rawValue), "template": .string(template), "idempotencyKey": .string(key)]
        case .sendSkipped(let template): return ["template": .string(template)]
        case .pastDue(let policy, let lateness): return ["policy": .string(policy), "latenessMs": .number(Double(lateness))]
        case .goalReached(let revenue, let step, let key):
            var members: [String: JSONValue] = ["revenue": .number(revenue)]
            if let step { members["attributedStep"] = .string(step) }
            if let key { members["idempotencyKey"] = .string(key) }
            return members
        case .sendCapped(let template, let cap): return ["template": .string(template), "cap": .string(cap)]
        case .entryQueued(let until): return ["until": .string(ISO8601.format(until))]
        case .sendTimeChosen(let time, let basis, let engagements, let zone):
            return ["time": .string(time.description), "basis": .string(basis.rawValue), "engagements": .number(Double(engagements)), "zone": .string(zone)]
        case .profileUpdated(let summary): return ["changes": .string(summary)]
        case .webhookRequested(let method, let url, let key):
            return ["method": .string(method), "url": .string(url), "idempotencyKey": .string(key)]
        case .journeyStarted(let target): return ["target": .string(target)]
        case .startedBy(let journey, let instance, let step):
            return ["startedByJourney": .string(journey), "startedByInstance": .string(instance), "startedByStep": .string(step)]
        case .listsUpdated(let added, let removed):
            return ["added": .array(added.map { .string($0) }), "removed": .array(removed.map { .string($0) })]
        case .identityMerged(let source): return ["from": .string(source)]
        }
    }
}
