import HeraldCore

/// Where the edge puts what it accepts: its only side effect, the same streams a producer or a
/// sender writes. A route answers success only after its writes returned.
public protocol EdgeStreamWriter: Sendable {
    /// Appends producer payloads (Segment JSON, as `XADD herald:ingest * event '<json>'` would) to
    /// the ingest shard of each payload's user, in order, in one round trip.
    func ingest(_ payloads: [[UInt8]]) async throws

    /// Appends feedback events Herald itself observed (provider callbacks, opens, clicks) to the
    /// partition stream of each event's user as `kind=feedback` entries, in one round trip.
    func feedback(_ events: [Event]) async throws

    /// Keeps payloads the edge refused, byte for byte with their reasons, in the rejected stream
    /// (`herald:rejected`), where `heraldctl rejected` shows them beside the ingestor's; one round
    /// trip for all.
    func reject(_ refused: [(payload: [UInt8], rejection: EventRejection)], route: String) async throws
}
