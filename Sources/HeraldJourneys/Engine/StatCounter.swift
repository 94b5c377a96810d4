/// A per-journey, per-step counter the evaluator increments.
public enum StatCounter: String, Sendable, Hashable, Codable, CaseIterable {
    /// Instances entered.
    case entered
    /// Triggers that did not enter (re-entry, cap, filters on timers).
    case notEntered
    /// Instances currently waiting (+1 on wait, -1 on resume or exit): a gauge.
    case waiting
    /// Send requests emitted.
    case sent
    /// Instances exited.
    case exited
    /// Goals reached.
    case converted
    /// Revenue from goals (a float increment).
    case revenue
    /// Timers handled past due.
    case pastDue
    /// Instances assigned to a holdout group.
    case holdout
    /// Sends skipped by a journey's or step's frequency cap.
    case capped
    /// Entries the entry throttle queued for a later slot (each enters later, counted in `entered`).
    case queued
    /// Action steps carried out (profile and list updates, webhook calls requested, journeys started).
    case actions
}
