import HeraldCore

/// A provider setting that cannot be used.
public enum ChannelProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `variable` names a provider this channel does not have.
    case unknownProvider(variable: String, name: String, channel: Channel)
    /// A secondary of the primary's own kind lacks one of its own settings (`prefix` is e.g.
    /// `HERALD_WEBHOOK_SECONDARY_`).
    case secondarySettings(prefix: String, reason: String)
    /// `variable` is unset or not `expected`.
    case invalidSetting(variable: String, expected: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unknownProvider(let variable, let name, let channel):
            return "\(variable)='\(name)' is not a \(channel.rawValue) provider (\(ConfigurationCatalogue.providerNames(channel).joined(separator: ", ")))"
        case .secondarySettings(let prefix, let reason):
            return "the secondary provider reads its own settings (\(prefix)*): \(reason)"
        case .invalidSetting(let variable, let expected):
            return "\(variable) is unset or not \(expected)"
        }
    }
}
