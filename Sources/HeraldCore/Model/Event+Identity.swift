extension Event {
    /// The identities this event says are its user (`userKey`), to be merged into it
    /// (docs/journeys.md, "Identity merge"): for an `identify` with both ids,
    /// `anon:<anonymousId>`; for an `alias`, `anon:<previousId>` and `<previousId>` (Segment's
    /// `previousId` is either an anonymous id or an earlier user id), and `anon:<anonymousId>` when
    /// it has one. None without a `userId`, and never the user itself.
    public var linkedIdentities: [String] {
        guard let userId, type == .identify || type == .alias else { return [] }
        var sources: [String] = []
        if let anonymousId { sources.append("anon:" + anonymousId) }
        if type == .alias, let previousId { sources += ["anon:" + previousId, previousId] }
        var seen: Set<String> = [userId]
        return sources.filter { seen.insert($0).inserted }
    }
}
