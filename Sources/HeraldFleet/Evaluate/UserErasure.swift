import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// Erases a person: profile, journey state, timers, trail, inbox, caps, suppression record and
/// pending sends and inputs that name them (`forget.lua`, one atomic call in their partition), then
/// the fleet-wide streams' entries that name them. What survives is a suppression per address,
/// keyed by the address's SHA-256 (`Keyspace.erasedSuppression`), so an erased person who
/// unsubscribed stays unsubscribed, and one `herald:erasures` entry saying when, who asked and
/// what was erased, with the user's SHA-256 and no data.
///
/// An app asks with a `track` event named `Forget User` (`eventName`); `heraldctl forget USER`
/// sends the same event. The evaluator applies it in the user's partition, in order with the
/// user's other inputs, fenced by the partition lease and idempotent.
public struct UserErasure: Sendable {
    /// The event that asks for an erasure; `properties.requestedBy` says who asked.
    public static let eventName = "Forget User"
    /// The most erasure records kept.
    public static let recordsKept = 1_000_000

    /// Names.
    public var keyspace: Keyspace
    /// How long the partition remembers applied inputs, the erasure request among them.
    public var appliedRetention: AppliedInputRetention

    /// Creates an erasure helper.
    public init(keyspace: Keyspace, appliedRetention: AppliedInputRetention = .standard) {
        self.keyspace = keyspace
        self.appliedRetention = appliedRetention
    }

    /// The user's own keys, in the order `forget.lua` reports them, with their family names.
    public func ownKeys(partition: Int, user: String) -> [(family: String, key: RedisKey)] {
        [
            ("profile", keyspace.profile(partition, user: user)), ("state", keyspace.journeyState(partition, user: user)),
            ("trail", keyspace.trail(partition, user: user)), ("trail", keyspace.trailLog(partition, user: user)),
        ]
            + Channel.allCases.map { ("caps", keyspace.capWindow(partition, user: user, channel: $0)) }
            + [
                ("suppression", keyspace.suppression(partition, user: user)), ("inbox", keyspace.inbox(partition, user: user)),
                ("inbox", keyspace.inboxUnread(partition, user: user)),
                ("lists", keyspace.memberships(partition, user: user)),
            ]
    }

    /// What a stream entry or timer payload naming the user contains, as Herald's JSON writes it.
    public static func needles(user: String) -> [String] {
        var needles = [member("userId", user)]
        if user.hasPrefix("anon:") { needles.append(member("anonymousId", String(user.dropFirst(5)))) }
        return needles
    }

    private static func member(_ name: String, _ value: String) -> String {
        let object = JSONValue.object([name: .string(value)]).serialized()
        return String(object.dropFirst().dropLast())
    }

    /// The `forget.lua` call for `user`, fenced by `leaseValue` and recorded as input `entryID`;
    /// with `inactiveSince` (an inactive user's last activity as found), only when the user has
    /// been active no later since.
    ///
    /// `lists` are the lists the user is a member of: the user leaves each list's key in the partition.
    public func command(partition: Int, user: String, leaseValue: String?, entryID: String, inactiveSince: Int64? = nil, lists: [String] = []) -> RedisCommand {
        let own = ownKeys(partition: partition, user: user).map(\.key)
        let keys = [
            keyspace.lease(partition), keyspace.appliedInputs(partition), keyspace.events(partition), keyspace.timers(partition),
            keyspace.timerPayloads(partition), keyspace.activity(partition),
        ] + own + Channel.allCases.map { keyspace.outbox(partition, $0) } + lists.map { keyspace.listMembers(partition, list: $0) }
        let entryMilliseconds = Int64(entryID.prefix { $0 != "-" }) ?? 0
        let arguments: [any RedisArgument] = [
            leaseValue ?? "", entryID, entryMilliseconds, appliedRetention.windowMilliseconds, appliedRetention.capacity, own.count, user, JourneyTimer.escapedUser(user),
            inactiveSince.map(String.init) ?? "", lists.count,
        ]
            + Self.needles(user: user).map { $0 as any RedisArgument }
        return HeraldScripts.forget.command(keys: keys, arguments: arguments)
    }

    /// The families `forget.lua`'s reply says it erased (`nil` for `SKIP`: applied before).
    public func erasedFamilies(_ reply: RESPValue, partition: Int, user: String) -> [String: Int]? {
        guard let parts = reply.array, parts.first?.string == "OK" else { return nil }
        let own = ownKeys(partition: partition, user: user)
        var erased: [String: Int] = [:]
        for (offset, item) in own.enumerated() where (parts.count > offset + 1 ? parts[offset + 1].int ?? 0 : 0) > 0 {
            erased[item.family, default: 0] += 1
        }
        for (offset, family) in ["timers", "inputs", "pendingSends"].enumerated() {
            let index = own.count + 1 + offset
            if index < parts.count, let count = parts[index].int, count > 0 { erased[family] = Int(count) }
        }
        return erased
    }

    /// The writes that keep `record`'s entries per address, keyed by the address's hash: an
    /// entry's own address, else the profile's address for the channel. An entry with neither
    /// cannot be kept (nothing would find it again).
    public func survivingSuppressions(_ record: SuppressionRecord, profile: [String: JSONValue]) -> [RedisCommand] {
        record.entries.compactMap { entry -> RedisCommand? in
            guard let address = entry.address ?? Self.address(channel: entry.channel, profile: profile) else { return nil }
            let field = [entry.channel.rawValue, entry.category?.rawValue ?? "all", entry.reason.rawValue].joined(separator: "|")
            return .hset(keyspace.erasedSuppression(addressHash: AddressHash.of(channel: entry.channel, address: address)), fields: [(field, ISO8601.format(entry.since))])
        }
    }

    /// The address a profile gives for a channel.
    static func address(channel: Channel, profile: [String: JSONValue]) -> String? {
        func text(_ key: String) -> String? { profile[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        switch channel {
        case .email: return text("email")
        case .sms: return text("phone")
        case .push: return profile["pushTokens"]?.arrayValue?.compactMap(\.stringValue).first ?? text("pushToken") ?? text("deviceToken")
        case .webhook, .inapp: return nil
        }
    }

    /// Whether `user` has been active no later than `since` (ms) and not erased yet.
    public func stillInactive(user: String, partition: Int, since: Int64, connection: RedisConnection) async throws -> Bool {
        guard let last = try await connection.send(.zscore(keyspace.activity(partition), member: user)).string.flatMap(Double.init) else { return false }
        return Int64(last) <= since
    }

    /// Deletes the entries of the fleet-wide streams (ingest, rejected, deliveries, dead-letter)
    /// that name `user`, reading each in pages; returns how many were deleted.
    public func sweepFleetStreams(user: String, connection: RedisConnection) async throws -> Int {
        let needles = Self.needles(user: user).map { Array($0.utf8) }
        let userBytes = Array(user.utf8)
        var removed = 0
        for stream in keyspace.allIngestStreams + keyspace.allRejectedStreams + keyspace.allDeliveryStreams + keyspace.allDeadLetterStreams {
            var start = "-"
            while true {
                let page = RedisConnection.parseEntries(try await connection.send(.xrange(stream, from: start, count: 1000)).array ?? [], stream: stream)
                guard let last = page.last else { break }
                let naming = page.filter { entry in
                    entry.fields.contains { _, value in
                        value == userBytes || needles.contains { needle in value.firstRange(of: needle) != nil }
                    }
                }
                if !naming.isEmpty {
                    removed += Int(try await connection.send(.xdel(stream, ids: naming.map(\.id))).int ?? 0)
                }
                if page.count < 1000 { break }
                start = "(" + last.id
            }
        }
        return removed
    }

    /// The erasure's record: when, who asked, which request, the user's SHA-256 and what was erased.
    public func recordCommand(user: String, requestedBy: String, request: String, erased: [String: Int], at: Date) -> RedisCommand {
        let families = erased.keys.sorted().map { "\($0)=\(erased[$0] ?? 0)" }.joined(separator: ",")
        return .xadd(keyspace.erasures, fields: [
            ("at", ISO8601.format(at)), ("requestedBy", requestedBy), ("request", request),
            ("userSha256", AddressHash.sha256Hex(Array(user.utf8))), ("erased", families.isEmpty ? "nothing" : families),
        ], trim: .maxLength(Self.recordsKept, approximate: true))
    }
}
