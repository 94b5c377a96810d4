/// A command's arguments: `--name value` options, `--flag` switches and positionals.
public struct CommandOptions: Sendable {
    private var arguments: [String]

    /// Wraps the arguments after the command name.
    public init(_ arguments: [String]) { self.arguments = arguments }

    /// Removes and returns the value of `--name value` (or `--name=value`).
    public mutating func value(_ name: String) throws(CommandOptionsError) -> String? {
        if let index = arguments.firstIndex(where: { $0.hasPrefix(name + "=") }) {
            let value = String(arguments[index].dropFirst(name.count + 1))
            arguments.remove(at: index)
            return value
        }
        guard let index = arguments.firstIndex(of: name) else { return nil }
        guard index + 1 < arguments.count else { throw .missingValue(name) }
        let value = arguments[index + 1]
        arguments.removeSubrange(index...(index + 1))
        return value
    }

    /// Removes and returns an integer option.
    public mutating func integer(_ name: String) throws(CommandOptionsError) -> Int? {
        guard let text = try value(name) else { return nil }
        guard let number = Int(text) else { throw .notANumber(name, text) }
        return number
    }

    /// Removes a `--flag` switch and says whether it was there.
    public mutating func flag(_ name: String) -> Bool {
        guard let index = arguments.firstIndex(of: name) else { return false }
        arguments.remove(at: index)
        return true
    }

    /// Removes and returns the first positional argument, or throws naming what was expected.
    public mutating func requiredPositional(_ what: String) throws(CommandOptionsError) -> String {
        guard let index = arguments.firstIndex(where: { !$0.hasPrefix("--") }) else { throw .missingArgument(what) }
        return arguments.remove(at: index)
    }

    /// Removes and returns a required `--name value` option.
    public mutating func required(_ name: String) throws(CommandOptionsError) -> String {
        guard let value = try value(name) else { throw .missingOption(name) }
        return value
    }

    /// Removes and returns every positional argument left.
    public mutating func positionals() -> [String] {
        let found = arguments.filter { !$0.hasPrefix("--") }
        arguments.removeAll { !$0.hasPrefix("--") }
        return found
    }
}
