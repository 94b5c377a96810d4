/// A rate-limit setting that cannot be read.
public enum ChannelRateLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `HERALD_<CHANNEL>_RATE` is not `N/s`, `N/m` or `N/h` with N > 0.
    case invalidRate(variable: String, value: String)
    /// `HERALD_<CHANNEL>_BURST` is not a whole number of at least 1.
    case invalidBurst(variable: String, value: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidRate(let variable, let value): return "\(variable)='\(value)' is not a rate like 50/s, 3000/m or 10000/h"
        case .invalidBurst(let variable, let value): return "\(variable)='\(value)' is not a whole number of at least 1"
        }
    }
}
