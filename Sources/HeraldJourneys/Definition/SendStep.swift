import HeraldCore

/// Asks the channel's sender to deliver a rendered template.
public struct SendStep: Sendable, Hashable, Codable {
    /// The channel.
    public var channel: Channel
    /// The template name under `config/templates`.
    public var template: String
    /// Marketing (default) or transactional.
    public var category: MessageCategory
    /// Open and click tracking (email only); `nil` for none.
    public var tracking: SendTracking?
    /// At most this many messages from this step per user within the window (any category); a
    /// send over it is skipped.
    public var frequencyCap: JourneyFrequencyCap?

    private enum CodingKeys: String, CodingKey {
        case channel, template, category, tracking, frequencyCap
    }

    /// Creates a send step.
    public init(
        channel: Channel, template: String, category: MessageCategory = .marketing, tracking: SendTracking? = nil,
        frequencyCap: JourneyFrequencyCap? = nil
    ) {
        self.frequencyCap = frequencyCap
        self.channel = channel
        self.template = template
        self.category = category
        self.tracking = tracking
    }

    /// Decodes, naming unknown channels and categories in the error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let channelText = try container.decode(String.self, forKey: .channel)
        guard let channel = Channel(rawValue: channelText) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [CodingKeys.channel],
                debugDescription: "unknown channel '\(channelText)'; expected one of "
                    + Channel.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        self.channel = channel
        template = try container.decode(String.self, forKey: .template)
        let categoryText = try container.decodeIfPresent(String.self, forKey: .category) ?? "marketing"
        guard let category = MessageCategory(rawValue: categoryText) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [CodingKeys.category],
                debugDescription: "unknown category '\(categoryText)'; expected marketing or transactional"))
        }
        self.category = category
        tracking = try container.decodeIfPresent(SendTracking.self, forKey: .tracking)
        frequencyCap = try container.decodeIfPresent(JourneyFrequencyCap.self, forKey: .frequencyCap)
        if tracking != nil && channel != .email {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [CodingKeys.tracking],
                debugDescription: "tracking (opens and clicks) is for email send steps only, not \(channel.rawValue)"))
        }
    }
}
