import Foundation
import HeraldCore

/// The entry throttle's slot rule in memory, the same rule `entry-throttle.lua` applies to a
/// journey's throttle key: the next entry's slot is the latest of now, the last slot given (so
/// entries keep their order) and the slot `count` reservations back plus the window. No window of
/// that length then holds more than `count` slots, and none is lost: a trigger beyond the
/// capacity gets a later slot. A member already holding a slot gets the same one back.
public struct EntryThrottleLog: Sendable, Hashable {
    /// Slots by member, in milliseconds.
    public private(set) var slots: [String: Int64] = [:]

    /// An empty log.
    public init() {}

    /// How long a slot is kept after it passes: the window, and at least this long, so a
    /// redelivered input (claimed after `HERALD_CLAIM_IDLE_MS`) still finds its slot.
    public static let minimumRetentionMilliseconds: Int64 = 15 * 60 * 1000

    /// The slot for `member`, reserving one at `nowMilliseconds` or later.
    public mutating func reserve(member: String, nowMilliseconds now: Int64, count: Int, windowMilliseconds window: Int64) -> Int64 {
        if let slot = slots[member] { return slot }
        let retention = max(window, Self.minimumRetentionMilliseconds)
        slots = slots.filter { $0.value > now - retention }
        let latest = slots.values.sorted(by: >)
        var slot = max(now, latest.first ?? now)
        if latest.count >= count { slot = max(slot, latest[count - 1] + window) }
        slots[member] = slot
        return slot
    }

    /// Each request's slot from its journey's log in `logs` (created empty when missing), at `now`
    /// rounded down to the millisecond, as `entry-throttle.lua` reserves them.
    public static func reserve(_ requests: [EntrySlotRequest], in logs: inout [String: EntryThrottleLog], now: Date) -> [String: Date] {
        let nowMilliseconds = now.unixMilliseconds
        var slots: [String: Date] = [:]
        for request in requests {
            let slot = logs[request.journey, default: EntryThrottleLog()].reserve(
                member: request.instanceId, nowMilliseconds: nowMilliseconds, count: request.count, windowMilliseconds: request.windowMilliseconds)
            slots[request.instanceId] = Date(unixMilliseconds: slot)
        }
        return slots
    }
}
