/// Reads one process's variables through the table at start: each value parsed as the table's
/// kind and, when unset or empty, the table's documented default (`ConfigurationVariable.defaultSetting`),
/// so a default lives in one place. It records the names it read, so a test can hold a process's
/// configuration to the readers the table lists for that executable.
///
/// Made and dropped by a configuration's `init(environment:)`; it is not shared between tasks.
public final class ConfigurationReader {
    /// The environment read.
    public let environment: [String: String]
    /// The executable whose configuration this reads; `nil` for a reader of no one process (tests, tools).
    public let executable: HeraldExecutable?
    /// The table the names and defaults come from.
    public let catalogue: ConfigurationCatalogue
    /// Every variable read so far, in the order first read.
    public private(set) var namesRead: [String] = []

    /// A reader of `environment` for `executable`.
    public init(environment: [String: String], executable: HeraldExecutable? = nil, catalogue: ConfigurationCatalogue = .herald) {
        self.environment = environment
        self.executable = executable
        self.catalogue = catalogue
    }

    /// Whether the table lists `name` as read by this reader's executable (always, for no executable).
    public func lists(_ name: String) -> Bool {
        guard let executable else { return true }
        return catalogue.variable(name)?.processes.contains(executable) ?? false
    }

    /// Records that `name` was read by a reader of its own (a secret's `_FILE` forms, the Redis URLs).
    public func note(_ name: String) {
        if !namesRead.contains(name) { namesRead.append(name) }
    }

    // MARK: Values as set (no default)

    /// The text of `name` as set, `nil` when unset or empty.
    public func textIfSet(_ name: String) throws(FleetConfigurationError) -> String? {
        note(name)
        return try catalogue.value(name, in: environment)
    }

    /// The integer `name` is set to, range-checked; `nil` when unset or empty.
    public func integerIfSet(_ name: String) throws(FleetConfigurationError) -> Int? {
        note(name)
        return try catalogue.integer(name, in: environment)
    }

    /// The decimal `name` is set to, range-checked; `nil` when unset or empty.
    public func numberIfSet(_ name: String) throws(FleetConfigurationError) -> Double? {
        note(name)
        return try catalogue.number(name, in: environment)
    }

    // MARK: Values, else the table's default

    /// The text of `name`, else the table's default.
    public func text(_ name: String) throws(FleetConfigurationError) -> String {
        if let text = try textIfSet(name) { return text }
        return defaultSetting(of: name)
    }

    /// The integer `name` is set to, else the table's default.
    public func integer(_ name: String) throws(FleetConfigurationError) -> Int {
        if let value = try integerIfSet(name) { return value }
        guard let value = Int(defaultSetting(of: name)) else { preconditionFailure("\(name)'s default in ConfigurationCatalogue is not an integer") }
        return value
    }

    /// A milliseconds variable (`…_MS`), else the table's default, as milliseconds.
    public func milliseconds(_ name: String) throws(FleetConfigurationError) -> Int64 { Int64(try integer(name)) }

    /// A milliseconds variable (`…_MS`), else the table's default, as a duration.
    public func duration(_ name: String) throws(FleetConfigurationError) -> Duration { .milliseconds(try integer(name)) }

    /// A boolean variable, else the table's default.
    public func boolean(_ name: String) throws(FleetConfigurationError) -> Bool { try text(name) == "true" }

    private func defaultSetting(of name: String) -> String {
        // A read with a default of a variable whose table row gives none is a bug the configurations' tests catch.
        guard let value = catalogue.variable(name)?.defaultSetting else { preconditionFailure("\(name) has no default value in ConfigurationCatalogue") }
        return value
    }
}
