import Foundation
import HeraldCore

extension TrailRecord {
    /// The decision as a sentence for people, rendered from its code and details (an older
    /// entry's stored sentence as it was).
    public var sentence: String {
        if let storedMessage { return storedMessage }
        func detail(_ index: Int) -> String { index < details.count ? details[index] : "" }
        switch code {
        case "entered": return "Entered \(journey) v\(version)" + (detail(0).isEmpty ? "" : " for key '\(detail(0))'")
        case "notEntered": return "Not entered: \(detail(0))"
        case "waitingUntil": return "Waiting until \(Self.time(detail(0)))"
        case "waitReset": return "Wait restarted by a new trigger (\(detail(0)) restarts)"
        case "timerFired": return "Timer fired \(detail(0)) ms after its due time"
        case "staleTimer": return "Ignored a timer: it no longer matches the user's state"
        case "branchTaken": return step.map { "Branch '\($0)' went to '\(detail(0))'" } ?? "Branch went to '\(detail(0))'"
        case "splitAssigned": return step.map { "Split '\($0)' assigned group '\(detail(0))'" } ?? "Split assigned group '\(detail(0))'"
        case "eventReceived": return "Received '\(detail(0))' while waiting"
        case "pathTaken":
            let label = detail(3).isEmpty ? detail(1) : "'\(detail(3))'"
            return "Path \(label) on '\(detail(0))' went to '\(detail(2))'"
        case "sendRequested": return "Requested \(detail(0)) '\(detail(1))' (key \(detail(2)))"
        case "sendSkipped": return "Skipped '\(detail(0))': the timer was past due beyond the step's limit"
        case "sendCapped": return "Skipped '\(detail(0))': \(detail(1))"
        case "entryQueued": return "Queued by the entry throttle; enters at \(Self.time(detail(0)))"
        case "pastDue": return "Past due by \(detail(1)) ms (\(detail(0)))"
        case "exited": return "Exited: \(detail(0))"
        case "goalReached":
            let attribution = detail(1).isEmpty ? "with no message sent" : "attributed to step '\(detail(1))' (\(detail(2)))"
            return "Converted with revenue \(detail(0)), \(attribution)"
        case "identityMerged":
            return instanceId == nil ? "Merged identity \(detail(0)) into this user" : "Continues here from identity \(detail(0))"
        case "sent":
            return detail(3) == "duplicate"
                ? "Already sent (\(detail(2))); not sent again" : "Sent by \(detail(1)) (provider message \(detail(2)))"
        case "delivered": return "Delivered, as the provider reported"
        case "reported": return "The provider reported \(detail(1))" + (detail(2).isEmpty ? "" : ": \(detail(2))")
        case "failed":
            return detail(1) == "retrying"
                ? "Failed: \(detail(2)); retrying at \(Self.time(detail(3)))" : "Failed for good (\(detail(1))): \(detail(2))"
        case "suppressed": return "Not sent: \(detail(1))"
        case "deferred": return "Deferred until \(Self.time(detail(1))): \(detail(2))"
        case "quietHoursHeld": return "Held for quiet hours in \(detail(2)) until \(Self.time(detail(1))): \(detail(3))"
        case "unknown":
            return "Outcome unknown: its sender \(detail(1)) stopped before recording the provider's answer; parked, not sent again"
        case "timeZoneInvalid": return "Quiet hours used \(detail(1)): \(detail(2))"
        case "sendTimeChosen":
            let why = detail(1) == SendTimeBasis.learned.rawValue
                ? "learned from \(detail(2)) opens and clicks"
                : "fallback, \(detail(1) == SendTimeBasis.tooLittleHistory.rawValue ? "only \(detail(2)) opens and clicks" : "no engaged hour within the bound")"
            return "Best time \(detail(0)) \(detail(3)) (\(why))"
        case "profileUpdated": return "Profile updated: \(detail(0))"
        case "webhookRequested": return "Requested webhook call \(detail(0)) \(detail(1)) (key \(detail(2)))"
        case "journeyStarted": return "Started journey '\(detail(0))'"
        case "startedBy": return "Started by journey '\(detail(0))' (instance \(detail(1)), step '\(detail(2))')"
        case "listsUpdated":
            let added = detail(0).isEmpty ? [] : ["joined " + detail(0)]
            let removed = detail(1).isEmpty ? [] : ["left " + detail(1)]
            return (added + removed).isEmpty ? "Lists: no change (already as asked)" : "Lists: " + (added + removed).joined(separator: "; ")
        default: return ([code] + details).joined(separator: " ")
        }
    }

    /// A stored Unix-seconds time as ISO 8601, or the text as stored.
    static func time(_ text: String) -> String {
        guard let seconds = Double(text) else { return text }
        return ISO8601.format(Date(timeIntervalSince1970: seconds))
    }
}
