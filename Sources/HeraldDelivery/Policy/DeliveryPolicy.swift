import Foundation
import HeraldCore

/// Every delivery rule together, and the one pure function the sender calls per request.
///
/// The order is fixed: consent and suppression, then quiet hours, then frequency caps. A
/// suppressed message is never held, and a held message does not take a cap slot (caps are
/// checked when it comes back). Transactional messages skip quiet hours and caps; marketing
/// messages of a journey with `defaults.respectQuietHours: false` skip quiet hours only.
public struct DeliveryPolicy: Sendable, Hashable {
    /// Consent rules.
    public var consent: ConsentPolicy
    /// Quiet hours, or `nil` for none.
    public var quietHours: QuietHoursPolicy?
    /// Frequency caps.
    public var frequencyCaps: FrequencyCapPolicy
    /// What happens to a message over a cap.
    public var capOverflow: CapOverflow

    /// Creates a policy: drop-and-record over caps by default.
    public init(
        consent: ConsentPolicy = ConsentPolicy(), quietHours: QuietHoursPolicy? = nil,
        frequencyCaps: FrequencyCapPolicy = FrequencyCapPolicy(), capOverflow: CapOverflow = .dropAndRecord
    ) {
        self.consent = consent
        self.quietHours = quietHours
        self.frequencyCaps = frequencyCaps
        self.capOverflow = capOverflow
    }

    /// Decides one request.
    ///
    /// - Parameters:
    ///   - request: the send request.
    ///   - recipient: the address resolved from the profile (`nil` when there is none).
    ///   - traits: the profile's traits (`timezone`, consent traits).
    ///   - suppression: the user's suppression record.
    ///   - previousSends: the user's recorded marketing sends on the request's channel (the cap
    ///     sorted set's scores); only read for marketing.
    ///   - journeyTimeZone: the journey's default zone, if it has one.
    ///   - now: the decision time.
    public func decide(
        request: SendRequest, recipient: String?, traits: [String: JSONValue], suppression: SuppressionRecord,
        previousSends: [Date], journeyTimeZone: String?, now: Date
    ) -> DeliveryVerdict {
        let verdict = decideBeforeCaps(
            request: request, recipient: recipient, traits: traits, suppression: suppression, journeyTimeZone: journeyTimeZone, now: now)
        guard case .send = verdict.decision else { return verdict }
        let caps = frequencyCaps.decide(channel: request.channel, category: request.category, previousSends: previousSends, now: now)
        var capped = verdict
        capped.decision = decision(for: caps)
        return capped
    }

    /// Consent, suppression and quiet hours: every rule but the caps, which a sender checks
    /// atomically across replicas with `frequency-cap-check.lua` instead.
    /// `.send` here means "go on to the caps".
    public func decideBeforeCaps(
        request: SendRequest, recipient: String?, traits: [String: JSONValue], suppression: SuppressionRecord,
        journeyTimeZone: String?, now: Date
    ) -> DeliveryVerdict {
        if case .suppress(let reason) = consent.evaluate(request, recipient: recipient, traits: traits, suppression: suppression) {
            return DeliveryVerdict(decision: .suppress(reason))
        }
        guard let quietHours, !quietHours.isEmpty, request.category == .marketing else { return DeliveryVerdict(decision: .send) }
        guard request.respectsQuietHours else { return DeliveryVerdict(decision: .send, quietHoursWaived: true) }
        let profileZone = traits["timezone"].map { $0.stringValue ?? $0.displayText }
        let zone = quietHours.chooseZone(profileTimeZone: profileZone, journeyTimeZone: journeyTimeZone)
        guard let until = quietHours.quietUntil(now: now, in: zone.zone) else {
            return DeliveryVerdict(decision: .send, warnings: zone.warnings, zone: zone)
        }
        return DeliveryVerdict(decision: .deferred(until: until, reason: .quietHours(zone: zone.name)), warnings: zone.warnings, zone: zone)
    }

    /// The decision a cap check implies under `capOverflow`; use it on the reply of
    /// `frequency-cap-check.lua` (read with `FrequencyCapPolicy.scriptDecision`).
    public func decision(for caps: FrequencyCapDecision) -> DeliveryDecision {
        switch caps {
        case .allowed: return .send
        case .capped(let until, let cap):
            switch capOverflow {
            case .dropAndRecord: return .suppress(.frequencyCap)
            case .deferUntilFree: return .capped(until: until, cap: cap)
            }
        }
    }
}
