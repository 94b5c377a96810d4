import Foundation
import HeraldCore
import HeraldDelivery
import Testing

/// A stored marker with a time no `Date` can hold is decided without trapping the sender.
@Suite struct IdempotencyMarkerBoundsTests {
    @Test(arguments: ["claimed:9223372036854775807:0:other", "claimed:9223372036854775806:3:other", "unknown:9223372036854775807:other"])
    func anAbsurdMarkerTimeIsDecidedWithoutTrapping(marker: String) {
        let policy = IdempotencyPolicy()
        let outcome = policy.claim(existing: marker, consumer: "me", attempt: 0, category: .marketing, now: Date())
        // A claim that far in the future is still held by its owner; an unknown marker stays parked.
        switch outcome.decision {
        case .busy, .unknown: #expect(outcome.write == nil)
        default: Issue.record("unexpected decision \(outcome.decision) for \(marker)")
        }
    }
}
