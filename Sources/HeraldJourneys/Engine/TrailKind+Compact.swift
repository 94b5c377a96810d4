import Foundation
import HeraldCore

extension TrailKind {
    /// The kind's details as the positional values of a compact trail line (`TrailRecord`):
    /// times in Unix seconds, numbers as decimals.
    public var compactDetails: [String] {
        switch self {
        case .entered(let key): return key.isEmpty ? [] : [key]
        case .staleTimer: return []
        case .notEntered(let reason), .exited(let reason): return [reason]
        case .waitingUntil(let date): return [String(Int64(date.timeIntervalSince1970.rounded()))]
        case .waitReset(let count): return [String(count)]
        case .timerFired(let lateness): return [String(lateness)]
        case .branchTaken(let target): return [target]
        case .splitAssigned(let group): return [group]
        case .eventReceived(let name): return [name]
        case .pathTaken(let event, let path, let name, let next): return [event, String(path), next] + (name.map { [$0] } ?? [])
        case .sendRequested(let channel, let template, let key): return [channel.rawValue, template, key]
        case .sendSkipped(let template): return [template]
        case .pastDue(let policy, let lateness): return [policy, String(lateness)]
        case .goalReached(let revenue, let step, let key):
            return [JSONValue.number(revenue).serialized(), step ?? "", key ?? ""]
        case .sendCapped(let template, let cap): return [template, cap]
        case .entryQueued(let until): return [String(Int64(until.timeIntervalSince1970.rounded()))]
        case .sendTimeChosen(let time, let basis, let engagements, let zone): return [time.description, basis.rawValue, String(engagements), zone]
        case .profileUpdated(let summary): return [summary]
        case .webhookRequested(let method, let url, let key): return [method, url, key]
        case .journeyStarted(let target): return [target]
        case .startedBy(let journey, let instance, let step): return [journey, instance, step]
        // List names hold no commas (`UpdateListsStep.isValidName`).
        case .listsUpdated(let added, let removed): return [added.joined(separator: ","), removed.joined(separator: ",")]
        case .identityMerged(let source): return [source]
        }
    }
}
