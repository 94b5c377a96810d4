import Foundation

extension TrailRecord {
    /// The codes of what became of a requested send, each written as its own trail entry by the
    /// channel's sender (`delivered` and `reported` by the evaluator, from provider feedback). The
    /// first detail of each is the send's idempotency key, which links it to the `sendRequested`
    /// decision that asked for it (`outcomes(in:)`).
    ///
    /// | code | details after the key |
    /// |---|---|
    /// | `sent` | provider, provider message id, `duplicate` when it had been sent before |
    /// | `delivered` | — (the provider reported delivery) |
    /// | `reported` | the status the provider reported (opened, clicked, bounced …), its reason |
    /// | `failed` | the delivery status (`retrying`, `failed`, `bounced`), the reason, the retry time (Unix seconds) or '' |
    /// | `suppressed` | the reason |
    /// | `deferred` | until (Unix seconds), the reason |
    /// | `quietHoursHeld` | until (Unix seconds), the zone, how the zone was chosen |
    /// | `unknown` | the consumer that stopped before recording the provider's answer |
    public static let outcomeCodes: Set<String> = ["sent", "delivered", "reported", "failed", "suppressed", "deferred", "quietHoursHeld", "unknown"]

    /// A send's outcome (or a sender's note, `timeZoneInvalid`: the zone and its reason) for the
    /// send `key` of `instanceId` at `step`.
    public static func outcome(
        _ code: String, journey: String, version: Int, instanceId: String, step: String?, key: String, details: [String] = []
    ) -> TrailRecord {
        TrailRecord(code: code, journey: journey, version: version, instanceId: instanceId, step: step, details: [key] + details)
    }

    /// The idempotency key of the send this record requested or reports on.
    public var sendKey: String? {
        if code == "sendRequested" { return details.count > 2 ? details[2] : nil }
        guard Self.outcomeCodes.contains(code) || code == "timeZoneInvalid" else { return nil }
        return details.first
    }

    /// A time as a compact detail: Unix seconds.
    public static func seconds(_ date: Date) -> String { String(Int64(date.timeIntervalSince1970.rounded())) }

    /// The latest outcome of each requested send among `records` (in time order), by idempotency key.
    public static func outcomes(in records: [TrailRecord]) -> [String: TrailRecord] {
        var latest: [String: TrailRecord] = [:]
        for record in records where outcomeCodes.contains(record.code) {
            if let key = record.sendKey { latest[key] = record }
        }
        return latest
    }
}
