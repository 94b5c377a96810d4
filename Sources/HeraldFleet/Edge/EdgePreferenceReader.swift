import HeraldDelivery

/// What the preference page reads: a person's suppression record, to check the boxes they still
/// receive. The edge never writes it; the evaluator does, from the events the page ingests.
public protocol EdgePreferenceReader: Sendable {
    /// The record of `user` (empty when there is none); throws when it cannot be read or decoded.
    func suppressions(ofUser user: String) async throws -> SuppressionRecord
}
