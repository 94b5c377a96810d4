import HeraldCore
import HeraldJourneys

/// What one batch knows of its users as it goes: loaded once, then changed by each input in
/// stream order, so later inputs of the batch see what earlier ones will have written.
struct EvaluatorBatchUsers {
    var states: [String: UserJourneyState] = [:]
    var profiles: [String: [String: JSONValue]] = [:]
    var memberships: [String: Set<String>] = [:]
    /// Why a user's inputs are not evaluated (their stored data does not read).
    var unreadable: [String: EvaluatorInputError] = [:]
    /// Identities merged into another user (their tombstone): their inputs are forwarded there,
    /// after the handover that tombstoned them when it is in this batch (its write's index).
    var mergedInto: [String: (target: String, handoverWrite: Int?)] = [:]
    /// The suppression records of the users whose inputs change them.
    var suppressions: [String: EvaluatorStoredSuppression] = [:]
}
