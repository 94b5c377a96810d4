/// The other names a variable may be set under.
public struct ConfigurationForms: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: Int
    /// Creates forms from bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `NAME_FILE`: a file holding the value (Docker and Kubernetes secrets; one trailing newline dropped).
    public static let file = ConfigurationForms(rawValue: 1)
    /// `NAMES` (and `NAMES_FILE` with `.file`): several values for rotation, comma- or line-separated.
    public static let list = ConfigurationForms(rawValue: 2)
    /// `HERALD_<PROVIDER>_SECONDARY_<REST>`: the same setting for a secondary provider of the primary's kind.
    public static let secondary = ConfigurationForms(rawValue: 4)
}
