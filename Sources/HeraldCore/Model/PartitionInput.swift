/// One entry of a partition's events stream (`Keyspace.events(_:)`), the evaluator's only input.
///
/// This is the stream's wire format, the one place that names its fields. Each entry has a `kind`:
///
/// | `kind` | fields | written by |
/// |---|---|---|
/// | `event` | `messageId`, `event` (the normalised Segment JSON) | `ingest.lua`, for producers' events from `herald:ingest` |
/// | `feedback` | `messageId`, `event` (the same JSON shape) | Herald itself: a sender's provider refusal (`feedbackCommand(keyspace:event:)`) |
/// | `timer` | `timerId`, `dueAt`, `firedAt` (ms), and `timer` (the journey timer JSON) only for a timer whose id does not describe it whole | `fire-timers.lua` |
/// | `refresh` | `user` | `JourneyRegistry.refreshAllUsers` after a publish |
/// | `handover` | `user`, `into`, `mergeId` | the ingestor, for an identify or alias that links `user` (e.g. `anon:<anonymousId>`) to `into` |
/// | `merge` | `IdentitySnapshot.fields` | the evaluator of the source's partition, after `handover.lua` |
///
/// Two scripts write entries themselves (`ingest.lua` and `fire-timers.lua`), so their field names
/// must stay those of `fields`; the integration tests decode what the scripts write with
/// `init(entry:)`. Provider feedback (bounces, complaints, dead device tokens, delivery statuses)
/// counts only as `feedback`: anyone who may write `herald:ingest` can produce an `event`, but only
/// Herald writes to a partition's stream directly.
public enum PartitionInput: Sendable, Hashable {
    /// A producer's event, accepted by the ingestor (`kind` = `event`).
    case event(Event)
    /// Delivery feedback from Herald itself (`kind` = `feedback`): the only source the evaluator
    /// applies provider feedback from.
    case feedback(Event)
    /// A journey timer that came due (`kind` = `timer`), as `fire-timers.lua` writes it: the timer
    /// id, when it was due and when it fired (ms since 1970), and the timer's JSON payload when it
    /// has one. A timer in the compact member form (`JourneyTimer.init(member:dueAtMilliseconds:)`)
    /// is described by its id and due time and has none.
    case timer(id: String, dueAtMilliseconds: Int64?, firedAtMilliseconds: Int64?, payload: JSONValue?)
    /// A request to re-check one user against the published journeys (`kind` = `refresh`).
    case refresh(user: String)
    /// Hand identity `user` over to user `into` (`kind` = `handover`): in `user`'s partition, its
    /// data is snapshotted and tombstoned and the snapshot goes to `into`'s partition.
    case handover(user: String, into: String, mergeId: String)
    /// Another identity's data to fold into `snapshot.into` (`kind` = `merge`).
    case merge(IdentitySnapshot)

    /// The value of the `kind` field.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A producer's event.
        case event
        /// Herald's own delivery feedback.
        case feedback
        /// A fired journey timer.
        case timer
        /// A re-check of one user.
        case refresh
        /// An identity handed over to another.
        case handover
        /// A handed-over identity to fold in.
        case merge
    }

    /// The entry's kind.
    public var kind: Kind {
        switch self {
        case .event: return .event
        case .feedback: return .feedback
        case .timer: return .timer
        case .refresh: return .refresh
        case .handover: return .handover
        case .merge: return .merge
        }
    }
}
