extension PartitionInput {
    /// The entry's field/value pairs, `kind` first, as `XADD` takes them.
    public var fields: [(String, any RedisArgument)] {
        switch self {
        case .event(let event), .feedback(let event):
            return [("kind", kind.rawValue), ("messageId", event.messageId), ("event", event.json.serialized())]
        case .timer(let id, let dueAt, let firedAt, let payload):
            var fields: [(String, any RedisArgument)] = [("kind", kind.rawValue), ("timerId", id)]
            if let dueAt { fields.append(("dueAt", dueAt)) }
            if let firedAt { fields.append(("firedAt", firedAt)) }
            if let payload { fields.append(("timer", payload.serialized())) }
            return fields
        case .refresh(let user):
            return [("kind", kind.rawValue), ("user", user)]
        case .handover(let user, let into, let mergeId):
            return [("kind", kind.rawValue), ("user", user), ("into", into), ("mergeId", mergeId)]
        case .merge(let snapshot):
            return [("kind", kind.rawValue)] + snapshot.fields.map { ($0.0, $0.1 as any RedisArgument) }
        }
    }

    /// The `XADD` that appends this input to `stream` (a partition's events stream).
    public func command(to stream: RedisKey) -> RedisCommand {
        RedisCommand.xadd(stream, fields: fields)
    }

    /// The `XADD` that puts Herald's own feedback `event` (for example a sender's `Email Bounced`
    /// after an SMTP 550) on its user's partition events stream, where the evaluator applies it.
    /// The partition is the event's user's (`keyspace.partition(ofUser: event.userKey)`). Unlike
    /// `herald:ingest`, this stream does not drop a repeated `messageId`: send each feedback event
    /// once, in the pipeline that records the outcome it reports.
    public static func feedbackCommand(keyspace: Keyspace, event: Event) -> RedisCommand {
        PartitionInput.feedback(event).command(to: keyspace.events(keyspace.partition(ofUser: event.userKey)))
    }

    /// The `feedback.lua` call that appends Herald's own feedback `event` to its user's partition
    /// stream unless its `messageId` was seen within `dedupeWindowMilliseconds` (the partition's
    /// dedupe set, shared with `ingest.lua`): for writers whose events have deterministic ids, such
    /// as the edge's provider callbacks, so a redelivered callback is applied once.
    public static func dedupedFeedbackCommand(keyspace: Keyspace, event: Event, nowMilliseconds: Int64, dedupeWindowMilliseconds: Int) -> RedisCommand {
        let partition = keyspace.partition(ofUser: event.userKey)
        let fields = PartitionInput.feedback(event).fields.flatMap { [$0.0 as any RedisArgument, $0.1] }
        return HeraldScripts.feedback.command(
            keys: [keyspace.dedupe(partition), keyspace.events(partition)],
            arguments: [event.messageId, nowMilliseconds, dedupeWindowMilliseconds] + fields)
    }

    /// The `feedback.lua` call that asks `user`'s partition to hand it over to `into` (a
    /// `handover` entry), at most once per `mergeId` within `dedupeWindowMilliseconds`: the
    /// ingestor's half of an identity merge.
    public static func handoverCommand(keyspace: Keyspace, user: String, into: String, mergeId: String, nowMilliseconds: Int64, dedupeWindowMilliseconds: Int) -> RedisCommand {
        let partition = keyspace.partition(ofUser: user)
        let fields = PartitionInput.handover(user: user, into: into, mergeId: mergeId).fields.flatMap { [$0.0 as any RedisArgument, $0.1] }
        return HeraldScripts.feedback.command(
            keys: [keyspace.dedupe(partition), keyspace.events(partition)],
            arguments: ["handover:" + mergeId, nowMilliseconds, dedupeWindowMilliseconds] + fields)
    }

    /// The `feedback.lua` call that puts a handover's snapshot on its target's partition stream (a
    /// `merge` entry), at most once per merge id within `dedupeWindowMilliseconds`.
    public static func mergeCommand(keyspace: Keyspace, snapshot: IdentitySnapshot, nowMilliseconds: Int64, dedupeWindowMilliseconds: Int) -> RedisCommand {
        let partition = keyspace.partition(ofUser: snapshot.into)
        let fields = PartitionInput.merge(snapshot).fields.flatMap { [$0.0 as any RedisArgument, $0.1] }
        return HeraldScripts.feedback.command(
            keys: [keyspace.dedupe(partition), keyspace.events(partition)],
            arguments: ["merge:" + snapshot.mergeId, nowMilliseconds, dedupeWindowMilliseconds] + fields)
    }

    /// The kind an events-stream entry says it is, without reading the rest; `nil` when it names none
    /// Herald knows.
    public static func kind(of entry: StreamEntry) -> Kind? { entry["kind"].flatMap(Kind.init(rawValue:)) }

    /// Reads an events-stream entry; throws when it is not one of the kinds or lacks a field.
    public init(entry: StreamEntry) throws(PartitionInputError) {
        guard let text = entry["kind"] else { throw .missingField(kind: nil, field: "kind") }
        guard let kind = Kind(rawValue: text) else { throw .unknownKind(text) }
        func json(_ field: String) throws(PartitionInputError) -> JSONValue {
            guard let bytes = entry.bytes(field) else { throw .missingField(kind: kind, field: field) }
            do {
                return try JSONValue.parse(bytes)
            } catch {
                throw .notJSON(kind: kind, field: field, detail: error.description)
            }
        }
        switch kind {
        case .event, .feedback:
            guard case .object(let members) = try json("event") else { throw .notAnObject(kind: kind, field: "event") }
            let event: Event
            do {
                event = try Event.validate(members: members)
            } catch {
                throw .invalidEvent(kind: kind, error)
            }
            self = kind == .event ? .event(event) : .feedback(event)
        case .timer:
            guard let id = entry["timerId"], !id.isEmpty else { throw .missingField(kind: kind, field: "timerId") }
            // A compact timer's id and due time describe it; only other timers carry a payload.
            // (`JSONValue` is nil-literal convertible: spelled out, so no payload stays `nil`, not `.null`.)
            var payload: JSONValue?
            if entry.bytes("timer") != nil { payload = try json("timer") }
            self = .timer(
                id: id, dueAtMilliseconds: entry["dueAt"].flatMap { Int64($0) }, firedAtMilliseconds: entry["firedAt"].flatMap { Int64($0) },
                payload: payload)
        case .refresh:
            guard let user = entry["user"], !user.isEmpty else { throw .missingField(kind: kind, field: "user") }
            self = .refresh(user: user)
        case .handover:
            for field in ["user", "into", "mergeId"] where (entry[field] ?? "").isEmpty { throw .missingField(kind: kind, field: field) }
            self = .handover(user: entry["user"] ?? "", into: entry["into"] ?? "", mergeId: entry["mergeId"] ?? "")
        case .merge:
            guard let snapshot = IdentitySnapshot(fields: entry.fields.filter { $0.0 != "kind" }) else {
                throw .missingField(kind: kind, field: ["from", "into", "mergeId"].first { (entry[$0] ?? "").isEmpty } ?? "from")
            }
            self = .merge(snapshot)
        }
    }
}
