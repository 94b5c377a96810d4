/// The table of every environment variable Herald reads, and the one parser of their values.
///
/// Every process validates its whole environment against `herald` when it starts, before it
/// connects to anything: a bad value, or a `HERALD_*` name no process knows (with the closest
/// known name suggested), is a start-up error naming the variable. `--help` and
/// docs/configuration.md are generated from the same table.
public struct ConfigurationCatalogue: Sendable {
    /// The variables, in table order.
    public let variables: [ConfigurationVariable]
    private let byName: [String: ConfigurationVariable]

    /// The prefixes of providers whose settings also have a `SECONDARY_` form (see `ConfigurationForms.secondary`).
    public static let secondaryPrefixes = ["HERALD_SMTP_", "HERALD_TWILIO_", "HERALD_FCM_", "HERALD_APNS_", "HERALD_WEBHOOK_"]

    /// A catalogue of `variables`; names must be unique.
    public init(_ variables: [ConfigurationVariable]) {
        self.variables = variables
        byName = Dictionary(variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Herald's table.
    public static let herald = ConfigurationCatalogue(
        fleetVariables + workerVariables + ingestAndEvaluateVariables + senderVariables + providerVariables + edgeVariables + toolingVariables)

    /// The variable declared as `name` (not one of its other forms).
    public func variable(_ name: String) -> ConfigurationVariable? { byName[name] }

    /// The variable `name` sets, and whether `name` holds its value directly (rather than a file
    /// path or a list of secrets); `nil` for a name no process reads.
    public func resolve(_ name: String) -> (variable: ConfigurationVariable, direct: Bool)? {
        if let variable = byName[name] { return (variable, true) }
        if name.hasSuffix("_FILE") {
            let base = String(name.dropLast(5))
            if let variable = byName[base], variable.forms.contains(.file) { return (variable, false) }
            if base.hasSuffix("S"), let variable = byName[String(base.dropLast())], variable.forms.isSuperset(of: [.file, .list]) {
                return (variable, false)
            }
        }
        if name.hasSuffix("S"), let variable = byName[String(name.dropLast())], variable.forms.contains(.list) { return (variable, false) }
        for prefix in Self.secondaryPrefixes where name.hasPrefix(prefix + "SECONDARY_") {
            let primary = prefix + name.dropFirst(prefix.count + "SECONDARY_".count)
            if let resolved = resolve(primary), resolved.variable.forms.contains(.secondary) { return resolved }
        }
        return nil
    }

    /// Checks every `HERALD_*` and `REDIS_*` variable of `environment`: each `HERALD_*` name must
    /// be one the table knows, and each value set directly must parse as its kind. Empty means
    /// unset. Throws the first problem, in name order.
    public func validate(_ environment: [String: String]) throws(FleetConfigurationError) {
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("HERALD_") || name.hasPrefix("REDIS_") {
            guard let resolved = resolve(name) else {
                // REDIS_* is not Herald's own prefix: other tools' variables may share it.
                guard name.hasPrefix("HERALD_") else { continue }
                throw .unknown(variable: name, suggestion: suggestion(for: name))
            }
            if resolved.direct && !value.isEmpty { _ = try resolved.variable.kind.parse(value, variable: name) }
        }
    }

    /// The variables `executable` reads, in table order.
    public func variables(readBy executable: HeraldExecutable) -> [ConfigurationVariable] {
        variables.filter { $0.processes.contains(executable) }
    }

    // MARK: Typed reads (each of a variable the table declares)

    /// The text of `name`, `nil` when unset or empty; a kind's canonical text (a choice as listed).
    public func value(_ name: String, in environment: [String: String]) throws(FleetConfigurationError) -> String? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        return try kind(of: name).parse(text, variable: name)
    }

    /// An integer variable, range-checked; `nil` when unset or empty.
    public func integer(_ name: String, in environment: [String: String]) throws(FleetConfigurationError) -> Int? {
        guard let text = try value(name, in: environment) else { return nil }
        guard let value = Int(text) else { throw .invalid(variable: name, value: text, expected: "an integer") }
        return value
    }

    /// A decimal variable, range-checked; `nil` when unset or empty.
    public func number(_ name: String, in environment: [String: String]) throws(FleetConfigurationError) -> Double? {
        guard let text = try value(name, in: environment) else { return nil }
        guard let value = Double(text) else { throw .invalid(variable: name, value: text, expected: "a number") }
        return value
    }

    /// A boolean variable (`true`, `false`, `1`, `0`); `nil` when unset or empty.
    public func boolean(_ name: String, in environment: [String: String]) throws(FleetConfigurationError) -> Bool? {
        try value(name, in: environment).map { $0 == "true" }
    }

    private func kind(of name: String) -> ConfigurationKind {
        if let variable = resolve(name)?.variable { return variable.kind }
        // A read of an undeclared name is a bug ConfigurationTableTests catches; read it as text.
        assertionFailure("\(name) is not in ConfigurationCatalogue")
        return .text
    }
}
