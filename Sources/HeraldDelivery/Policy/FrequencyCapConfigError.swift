/// A frequency-cap configuration that cannot be read.
public enum FrequencyCapConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An item is not `<channel>=<limit>/<window>`.
    case malformedItem(String)
    /// The channel is not one Herald has.
    case unknownChannel(String)
    /// The limit is not a positive integer.
    case invalidLimit(item: String)
    /// The window is not a positive integer with a unit (s, m, h, d, w).
    case invalidWindow(item: String)
    /// The JSON is not an object of channel → cap(s), or does not parse.
    case invalidJSON(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .malformedItem(let item): return "frequency cap '\(item)' is not <channel>=<limit>/<window> (e.g. email=2/1d)"
        case .unknownChannel(let channel): return "frequency cap names unknown channel '\(channel)'"
        case .invalidLimit(let item): return "frequency cap '\(item)' needs a positive integer limit"
        case .invalidWindow(let item): return "frequency cap '\(item)' needs a window like 12h, 1d or 2w"
        case .invalidJSON(let reason): return "frequency caps JSON: \(reason)"
        }
    }
}
