import Foundation

/// One identity's stored data as its partition handed it over to another identity's
/// (`handover.lua`), carried by a `PartitionInput.merge` entry to the target's partition, where the
/// evaluator folds it in (docs/journeys.md, "Identity merge").
///
/// Its wire form is the handover hash's fields, copied as they are into the stream entry: `from`,
/// `into`, `mergeId`, `state` (the journey state blob), `profile:<trait>` (JSON), `suppression`
/// (the record's JSON), `inbox:<nnnn>` (items, newest first), `unread`, `trail:<nnnn>` (compact
/// trail entries, newest first), `activity` (ms), `cap:<channel>:<member>` (the send's time in
/// ms) and `capttl:<channel>` (ms left).
public struct IdentitySnapshot: Sendable, Hashable {
    /// The identity handed over (its user key, e.g. `anon:<anonymousId>`).
    public var from: String
    /// The user it was merged into.
    public var into: String
    /// The handover's id: the linking message's id and the source (`<messageId>/<from>`).
    public var mergeId: String
    /// The stored journey state, when there was one.
    public var state: [UInt8]?
    /// Profile traits, each as stored (JSON).
    public var profile: [String: [UInt8]]
    /// The suppression record, when there was one.
    public var suppression: [UInt8]?
    /// In-app inbox items, newest first.
    public var inbox: [[UInt8]]
    /// The unread in-app count.
    public var unread: Int64
    /// Compact trail entries, newest first.
    public var trail: [[UInt8]]
    /// The last activity, in Unix ms.
    public var activity: Int64?
    /// Frequency-cap windows per channel: the recorded sends (idempotency key → time in ms).
    public var caps: [Channel: [String: Int64]]
    /// The milliseconds each cap window had left.
    public var capTimeToLive: [Channel: Int64]

    /// Creates an empty snapshot.
    public init(from: String, into: String, mergeId: String) {
        self.from = from
        self.into = into
        self.mergeId = mergeId
        state = nil
        profile = [:]
        suppression = nil
        inbox = []
        unread = 0
        trail = []
        activity = nil
        caps = [:]
        capTimeToLive = [:]
    }

    /// The merge id of the handover of `from` asked for by message `messageId`.
    public static func mergeId(messageId: String, from: String) -> String { messageId + "/" + from }

    /// The wire fields (see the type's documentation), in a stable order.
    public var fields: [(String, [UInt8])] {
        var fields: [(String, [UInt8])] = [("from", Array(from.utf8)), ("into", Array(into.utf8)), ("mergeId", Array(mergeId.utf8))]
        if let state { fields.append(("state", state)) }
        for (trait, value) in profile.sorted(by: { $0.key < $1.key }) { fields.append(("profile:" + trait, value)) }
        if let suppression { fields.append(("suppression", suppression)) }
        for (position, item) in inbox.enumerated() { fields.append((Self.numbered("inbox", position), item)) }
        if unread != 0 { fields.append(("unread", Array(String(unread).utf8))) }
        for (position, entry) in trail.enumerated() { fields.append((Self.numbered("trail", position), entry)) }
        if let activity { fields.append(("activity", Array(String(activity).utf8))) }
        for (channel, members) in caps.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for (member, at) in members.sorted(by: { $0.key < $1.key }) { fields.append(("cap:\(channel.rawValue):\(member)", Array(String(at).utf8))) }
        }
        for (channel, left) in capTimeToLive.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            fields.append(("capttl:" + channel.rawValue, Array(String(left).utf8)))
        }
        return fields
    }

    /// Reads the wire fields; `nil` without `from`, `into` or `mergeId`. Fields it does not know are
    /// ignored, so a newer handover still folds what this version knows.
    public init?(fields: [(String, [UInt8])]) {
        var byName: [String: [UInt8]] = [:]
        for (name, value) in fields { byName[name] = value }
        func text(_ name: String) -> String? { byName[name].map { String(decoding: $0, as: UTF8.self) } }
        guard let from = text("from"), !from.isEmpty, let into = text("into"), !into.isEmpty, let mergeId = text("mergeId"), !mergeId.isEmpty
        else { return nil }
        self.init(from: from, into: into, mergeId: mergeId)
        state = byName["state"]
        suppression = byName["suppression"]
        unread = text("unread").flatMap { Int64($0) } ?? 0
        activity = text("activity").flatMap { Double($0) }.map { Int64($0) }
        var inboxItems: [(String, [UInt8])] = []
        var trailEntries: [(String, [UInt8])] = []
        for (name, value) in fields {
            if name.hasPrefix("profile:") {
                profile[String(name.dropFirst("profile:".count))] = value
            } else if name.hasPrefix("inbox:") {
                inboxItems.append((name, value))
            } else if name.hasPrefix("trail:") {
                trailEntries.append((name, value))
            } else if name.hasPrefix("cap:") {
                let rest = name.dropFirst("cap:".count)
                guard let colon = rest.firstIndex(of: ":"), let channel = Channel(rawValue: String(rest[..<colon])),
                    let at = Double(String(decoding: value, as: UTF8.self))
                else { continue }
                caps[channel, default: [:]][String(rest[rest.index(after: colon)...])] = Int64(at)
            } else if name.hasPrefix("capttl:"), let channel = Channel(rawValue: String(name.dropFirst("capttl:".count))),
                let left = Int64(String(decoding: value, as: UTF8.self))
            {
                capTimeToLive[channel] = left
            }
        }
        inbox = inboxItems.sorted { $0.0 < $1.0 }.map(\.1)
        trail = trailEntries.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private static func numbered(_ prefix: String, _ position: Int) -> String {
        let digits = String(position + 1)
        return prefix + ":" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
