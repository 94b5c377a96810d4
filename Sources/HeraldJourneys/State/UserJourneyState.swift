import Foundation
import HeraldCore

/// Everything the engine keeps about one user: one blob per user, read and written per input.
///
/// Bounded: finished instances are dropped (only markers and open goal watches remain), counters
/// keep at most the rule's count, live instances are capped per journey and overall, and the event
/// summary keeps only names journeys' conditions read, at most `maximumSummarizedEvents` of them.
public struct UserJourneyState: Sendable, Hashable, Codable {
    /// The user.
    public var userId: String
    /// Live instances.
    public var instances: [JourneyInstance]
    /// Finished instances still inside their goal window.
    public var watches: [ConversionWatch]
    /// Per-journey history for re-entry rules.
    public var markers: [String: JourneyMarker]
    /// Per-journey trigger counters.
    public var counters: [String: TriggerCounter]
    /// Journey-level timers (date and inactivity triggers) by journey id: their due times.
    public var timers: [String: Date]
    /// The event summary: for each event name some journey's `count` or `lastSeen` condition
    /// reads (`JourneyCatalog.summarizedEvents`), its last time and recent day counts.
    public var activity: [String: EventActivity]
    /// The user's opens and clicks per local hour, for `bestTime` waits; `nil` before the first.
    public var engagement: EngagementHours?
    /// The identity merges folded into this state (`JourneyEngine.merge`), oldest first, at most
    /// `maximumMerges`: a handover delivered twice is folded once.
    public var merges: [String]

    /// The most live instances kept for one user across journeys.
    public static let maximumLiveInstances = 50
    /// The most open goal watches kept for one user; the oldest go first.
    public static let maximumWatches = 20
    /// The most event names the summary keeps for one user; the least recently seen go first.
    public static let maximumSummarizedEvents = 32
    /// The most merge ids remembered (`merges`).
    public static let maximumMerges = 10

    /// An empty state for `userId`.
    public init(userId: String) {
        self.userId = userId
        instances = []
        watches = []
        markers = [:]
        counters = [:]
        timers = [:]
        activity = [:]
        engagement = nil
        merges = []
    }

    /// The stored blob: `compactFormTag` and the `CompactJSON` of `compactJSON(user:)` (about half
    /// the bytes of the JSON text, which was the stored form version 1).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [Self.compactFormTag]
        bytes.reserveCapacity(384)
        CompactJSON.write(compactJSON(user: userId), into: &bytes)
        return bytes
    }

    /// Reads a stored blob in either form; an empty blob is an empty state for `userId`. Bytes in
    /// neither form throw: the caller must not replace them with a default.
    public init(decoding bytes: [UInt8], userId: String) throws(UserJourneyStateError) {
        guard let first = bytes.first else {
            self.init(userId: userId)
            return
        }
        if first == Self.compactFormTag {
            let document: JSONValue
            do {
                document = try CompactJSON.decode(bytes.dropFirst())
            } catch {
                throw .notCompact(error.description)
            }
            try self.init(compactJSON: document, userId: userId)
            return
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw .notJSON(error.description)
        }
        try self.init(json: document)
    }

    /// Whether the user has nothing worth storing (the blob may be deleted).
    public var isEmpty: Bool {
        instances.isEmpty && watches.isEmpty && markers.isEmpty && counters.isEmpty && timers.isEmpty && activity.isEmpty
            && engagement == nil && merges.isEmpty
    }
}
