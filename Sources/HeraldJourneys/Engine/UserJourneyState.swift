import Foundation

/// Everything the engine keeps about one user: one blob per user, read and written per input.
///
/// Bounded: finished instances are dropped (only markers and open goal watches remain), counters
/// keep at most the rule's count, and live instances are capped per journey and overall.
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

    /// The most live instances kept for one user across journeys.
    public static let maximumLiveInstances = 50

    /// An empty state for `userId`.
    public init(userId: String) {
        self.userId = userId
        instances = []
        watches = []
        markers = [:]
        counters = [:]
        timers = [:]
    }

    /// The state as compact JSON bytes (the stored blob).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        // Encoding plain structs, strings, numbers and dates cannot fail.
        return (try? Array(encoder.encode(self))) ?? []
    }

    /// Reads a stored blob; an empty blob is an empty state.
    public init(decoding bytes: [UInt8], userId: String) throws {
        guard !bytes.isEmpty else {
            self.init(userId: userId)
            return
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        self = try decoder.decode(UserJourneyState.self, from: Data(bytes))
    }

    /// Whether the user has nothing worth storing (the blob may be deleted).
    public var isEmpty: Bool {
        instances.isEmpty && watches.isEmpty && markers.isEmpty && counters.isEmpty && timers.isEmpty
    }
}
