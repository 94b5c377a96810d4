import HeraldCore

/// What `SenderStore.load` found for one user: the profile's traits (`herald:{pN}:profile:<user>`)
/// and the suppression record's stored bytes (`herald:{pN}:suppression:<user>`), unparsed so the
/// handler decides what an unreadable one means (do not send).
public struct SenderUserSnapshot: Sendable, Hashable {
    /// The profile's traits; empty when there is no profile.
    public var profile: [String: JSONValue]
    /// The stored suppression record; `nil` when there is none.
    public var suppression: [UInt8]?

    /// Creates a snapshot.
    public init(profile: [String: JSONValue] = [:], suppression: [UInt8]? = nil) {
        self.profile = profile
        self.suppression = suppression
    }
}
