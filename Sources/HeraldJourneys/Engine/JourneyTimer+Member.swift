import Foundation

extension JourneyTimer {
    /// The one place that builds and reads a journey timer's sorted-set member (its `id`) in the
    /// compact form, which describes the timer whole, so no payload is stored beside it:
    ///
    /// - `r|<user>|<journey>|<hash>|<step>` and `t|…` for an instance's `resume` and `timeout`
    ///   (the instance id is `<journey>-<hash>`),
    /// - `i|<user>|<journey>` and `d|<user>|<journey>` for a journey's `inactivity` and `date` trigger.
    ///
    /// `%` and `|` in the user and the step are percent-encoded (journey ids and hashes have neither).
    /// The due time is the member's score. The member carries no version: an instance timer's is its
    /// instance's, a trigger timer's is the journey's latest, and `version` of a decoded timer is 0.
    /// Timers stored before this form (`user|instance|step|kind` with a JSON payload in the
    /// partition's payload hash) still fire with their payload; `forget.lua` and `fire-timers.lua`
    /// read the same form (`kindCodes` and `escapedUser`).
    static let kindCodes: [JourneyTimerKind: String] = [.resume: "r", .timeout: "t", .inactivity: "i", .date: "d"]
    private static let kindsByCode = Dictionary(uniqueKeysWithValues: kindCodes.map { ($0.value, $0.key) })

    /// The member of an instance's `resume` or `timeout` timer; the older `user|instance|step|kind`
    /// form when the instance id is not `<journey>-<hash>` (such a timer keeps a payload).
    public static func instanceTimerId(user: String, journey: String, instanceId: String, step: String, kind: JourneyTimerKind) -> String {
        let prefix = journey + "-"
        guard let code = kindCodes[kind], kind == .resume || kind == .timeout, instanceId.hasPrefix(prefix),
            !instanceId.dropFirst(prefix.count).contains(where: { $0 == "|" || $0 == "%" }), !journey.contains("|")
        else { return "\(user)|\(instanceId)|\(step)|\(kind.rawValue)" }
        return [code, escape(user), journey, String(instanceId.dropFirst(prefix.count)), escape(step)].joined(separator: "|")
    }

    /// The member of a journey's `inactivity` or `date` trigger timer for `user`.
    public static func triggerTimerId(user: String, journey: String, kind: JourneyTimerKind) -> String {
        guard let code = kindCodes[kind], kind == .inactivity || kind == .date, !journey.contains("|") else {
            return "\(user)|\(journey)|\(kind.rawValue)"
        }
        return [code, escape(user), journey].joined(separator: "|")
    }

    /// The user as a compact member writes it, for scripts that match a user's members by prefix.
    public static func escapedUser(_ user: String) -> String { escape(user) }

    /// Reads a compact member with its score; `nil` for any other member (an older timer id, a
    /// deferred send's `send|…`).
    public init?(member: String, dueAtMilliseconds: Int64) {
        let parts = member.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 5, let kind = Self.kindsByCode[parts[0]], !parts[1].isEmpty, !parts[2].isEmpty,
            let user = Self.unescape(parts[1])
        else { return nil }
        let dueAt = Date(unixMilliseconds: dueAtMilliseconds)
        switch (kind, parts.count) {
        case (.resume, 5), (.timeout, 5):
            guard !parts[3].isEmpty, let step = Self.unescape(parts[4]) else { return nil }
            self.init(
                id: member, userId: user, journey: parts[2], version: 0, instanceId: parts[2] + "-" + parts[3], step: step, kind: kind,
                dueAt: dueAt)
        case (.inactivity, 3), (.date, 3):
            self.init(id: member, userId: user, journey: parts[2], version: 0, kind: kind, dueAt: dueAt)
        default:
            return nil
        }
    }

    /// Whether the member alone describes this timer (then no payload is stored for it).
    public var isDescribedByMember: Bool {
        guard let decoded = JourneyTimer(member: id, dueAtMilliseconds: 0) else { return false }
        return decoded.userId == userId && decoded.journey == journey && decoded.instanceId == instanceId && decoded.step == step
            && decoded.kind == kind
    }

    private static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "|" || $0 == "%" }) else { return text }
        return text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "|", with: "%7C")
    }

    private static func unescape(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var result = ""
        var rest = Substring(text)
        while let index = rest.firstIndex(of: "%") {
            result += rest[..<index]
            let code = rest[index...].prefix(3)
            switch code {
            case "%25": result += "%"
            case "%7C": result += "|"
            default: return nil
            }
            rest = rest[index...].dropFirst(3)
        }
        return result + rest
    }
}
