import HeraldCore

/// The uncertain-send policy for each message category: by default transactional messages are
/// resent (a missing receipt costs more than a copy) and marketing messages are parked.
public struct UncertainSendPolicies: Sendable, Hashable {
    /// For transactional messages.
    public var transactional: UncertainSendPolicy
    /// For marketing messages.
    public var marketing: UncertainSendPolicy

    /// Creates the policies; the defaults are resend for transactional, park for marketing.
    public init(transactional: UncertainSendPolicy = .resend, marketing: UncertainSendPolicy = .park) {
        self.transactional = transactional
        self.marketing = marketing
    }

    /// The policy for `category`.
    public func policy(for category: MessageCategory) -> UncertainSendPolicy {
        category == .transactional ? transactional : marketing
    }

    /// Parses `transactional=resend,marketing=park` (either part may be left out).
    public static func parse(_ text: String) throws(UncertainSendPolicyError) -> UncertainSendPolicies {
        var policies = UncertainSendPolicies()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let policy = UncertainSendPolicy(rawValue: pieces[1]) else { throw .invalidPart(part) }
            switch pieces[0] {
            case MessageCategory.transactional.rawValue: policies.transactional = policy
            case MessageCategory.marketing.rawValue: policies.marketing = policy
            default: throw .unknownCategory(pieces[0])
            }
        }
        return policies
    }
}
