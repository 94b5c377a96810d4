/// A send step's opt-in to open and click tracking (email only): `"tracking": {"clicks": true,
/// "opens": true}`. The email sender rewrites the HTML body's links to the edge's signed click URLs
/// and adds an open pixel when it has the link secret and the edge's public URL.
public struct SendTracking: Sendable, Hashable, Codable {
    /// Rewrite `http(s)` links to signed click redirects (`Message Clicked`).
    public var clicks: Bool
    /// Add a 1×1 open pixel (`Message Opened`).
    public var opens: Bool

    private enum CodingKeys: String, CodingKey {
        case clicks, opens
    }

    /// Creates the options.
    public init(clicks: Bool = false, opens: Bool = false) {
        self.clicks = clicks
        self.opens = opens
    }

    /// Decodes; both default to `false`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clicks = try container.decodeIfPresent(Bool.self, forKey: .clicks) ?? false
        opens = try container.decodeIfPresent(Bool.self, forKey: .opens) ?? false
    }
}
