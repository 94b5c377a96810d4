import Foundation

/// A span of time written like `30m`, `24h`, `3d`, `2w` or `1h30m` (units s, m, h, d, w).
public struct JourneyDuration: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The length in seconds.
    public var seconds: Int
    /// The text it was written as.
    public var text: String

    /// Parses `text`; `nil` when it is not a duration.
    public init?(_ text: String) {
        var total = 0
        var number: Int?
        var sawUnit = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                number = (number ?? 0) * 10 + digit
                guard number! < 100_000_000 else { return nil }
                continue
            }
            let unit: Int
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            guard let value = number else { return nil }
            total += value * unit
            number = nil
            sawUnit = true
        }
        guard sawUnit, number == nil else { return nil }
        seconds = total
        self.text = text
    }

    /// A duration of whole seconds.
    public init(seconds: Int) {
        self.seconds = seconds
        text = "\(seconds)s"
    }

    /// The length as a `TimeInterval`.
    public var interval: TimeInterval { TimeInterval(seconds) }

    /// The text form.
    public var description: String { text }

    /// Decodes from the text form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = JourneyDuration(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "bad duration '\(text)'; write a number and a unit s, m, h, d or w, e.g. 30m, 24h, 3d"))
        }
        self = parsed
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(text)
    }
}
