import Foundation
import HeraldCore
import HeraldDelivery

/// Shared test inputs.
enum Fixtures {
    /// A date from ISO 8601 text; the tests only pass valid text.
    static func date(_ text: String) -> Date {
        guard let date = ISO8601.parse(text) else { fatalError("bad fixture date \(text)") }
        return date
    }

    /// `base` plus `offset` milliseconds, built the way the scripts' millisecond replies are read.
    /// A whole second of today's clock: for tests whose arithmetic wants whole milliseconds and
    /// seconds, but which must pass on any date.
    static func wholeSecondNow() -> Date { Date(unixMilliseconds: Date().unixMilliseconds / 1000 * 1000) }

    static func ms(_ base: Date, _ offset: Int64) -> Date {
        Date(unixMilliseconds: base.unixMilliseconds + offset)
    }

    /// A send request on `channel` in `category`.
    static func request(
        channel: Channel = .email, category: MessageCategory = .marketing, key: String = "j1:i1:s1", attempt: Int = 0
    ) -> SendRequest {
        SendRequest(
            idempotencyKey: key, userId: "u1", journey: "welcome", instanceId: "i1", step: "s1", channel: channel,
            template: "welcome", category: category, context: [:], requestedAt: date("2026-11-27T09:00:00Z"),
            attempt: attempt)
    }
}
