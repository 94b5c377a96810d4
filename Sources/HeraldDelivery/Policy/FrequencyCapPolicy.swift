import Foundation
import HeraldCore

/// Per-user, per-channel caps on marketing messages over rolling windows, across all journeys.
///
/// The pure `decide` works on the timestamps of the user's previous marketing sends on the
/// channel; `frequency-cap-check.lua` makes the same decision atomically in
/// Redis and records the send, which is what the sender relies on when replicas race.
/// Transactional messages are never capped.
public struct FrequencyCapPolicy: Sendable, Hashable {
    /// Every cap; a channel may have several (e.g. 2 a day and 5 a week).
    public var caps: [FrequencyCap]

    /// Creates a policy.
    public init(caps: [FrequencyCap] = []) {
        self.caps = caps
    }

    /// The caps on one channel.
    public func caps(for channel: Channel) -> [FrequencyCap] {
        caps.filter { $0.channel == channel }
    }

    /// The longest window on a channel: sends older than this can be forgotten.
    public func longestWindow(for channel: Channel) -> TimeInterval? {
        caps(for: channel).map(\.window).max()
    }

    /// Decides from the user's previous marketing sends on the channel (any order; sends outside
    /// every window are ignored). A send at `t` occupies a slot until `t + window`.
    public func decide(channel: Channel, category: MessageCategory, previousSends: [Date], now: Date) -> FrequencyCapDecision {
        guard category == .marketing else { return .allowed }
        var worst: (until: Date, cap: FrequencyCap)?
        for cap in caps(for: channel) {
            let windowStart = now.addingTimeInterval(-cap.window)
            let inWindow = previousSends.filter { $0 > windowStart && $0 <= now }.sorted()
            guard inWindow.count >= cap.limit else { continue }
            // The slot frees when enough of the oldest sends leave the window to drop below the limit.
            let freeAt = inWindow[inWindow.count - cap.limit].addingTimeInterval(cap.window)
            // Whole milliseconds, as the script reports it, so both forms give the same `Date`.
            let until = Date(unixMilliseconds: freeAt.unixMilliseconds)
            if until > (worst?.until ?? .distantPast) { worst = (until, cap) }
        }
        guard let worst else { return .allowed }
        return .capped(until: worst.until, cap: worst.cap)
    }

    /// ARGV for `frequency-cap-check.lua`: `now_ms`, the member (the request's
    /// idempotency key, so a retried request never takes a second slot), then `limit`,
    /// `window_ms` per cap. `nil` when no script call is needed (transactional, or no caps).
    public func scriptArguments(channel: Channel, category: MessageCategory, member: String, now: Date) -> [String]? {
        let channelCaps = caps(for: channel)
        guard category == .marketing, !channelCaps.isEmpty else { return nil }
        var arguments = [String(now.unixMilliseconds), member]
        for cap in channelCaps {
            arguments.append(String(cap.limit))
            arguments.append(String(cap.windowMilliseconds))
        }
        return arguments
    }

    /// Reads the script's reply (`{1, 0, 0}` or `{0, free_at_ms, cap_index}`) for the caps that
    /// `scriptArguments` sent.
    public func scriptDecision(channel: Channel, reply: [Int64]) -> FrequencyCapDecision? {
        guard reply.count == 3 else { return nil }
        if reply[0] == 1 { return .allowed }
        let channelCaps = caps(for: channel)
        let index = Int(reply[2]) - 1
        guard reply[0] == 0, channelCaps.indices.contains(index) else { return nil }
        return .capped(until: Date(timeIntervalSince1970: Double(reply[1]) / 1000), cap: channelCaps[index])
    }
}
