/// Whether consent and suppression let a message through.
public enum ConsentDecision: Sendable, Hashable {
    /// Nothing stops it.
    case allow
    /// It must not be sent, for this reason.
    case suppress(SuppressionReason)
}
