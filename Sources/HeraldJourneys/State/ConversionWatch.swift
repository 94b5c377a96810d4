import Foundation

/// A finished, unconverted instance whose goal window is still open.
public struct ConversionWatch: Sendable, Hashable, Codable {
    /// The instance id.
    public var instanceId: String
    /// The journey id.
    public var journey: String
    /// The version it ran on.
    public var version: Int
    /// The goal window's end.
    public var until: Date
    /// The trigger event's values at the goal's match paths.
    public var match: [String: StoredJSON]
    /// The last message sent.
    public var lastSend: SentMessage?
    /// The split group the instance was in (`vars.split`), so a late conversion counts in it.
    public var group: String?

    /// Creates a watch.
    public init(
        instanceId: String, journey: String, version: Int, until: Date, match: [String: StoredJSON], lastSend: SentMessage?, group: String? = nil
    ) {
        self.instanceId = instanceId
        self.journey = journey
        self.version = version
        self.until = until
        self.match = match
        self.lastSend = lastSend
        self.group = group
    }
}
