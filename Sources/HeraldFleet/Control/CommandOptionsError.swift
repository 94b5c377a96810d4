/// A command line that cannot be understood.
public enum CommandOptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--name` was given without a value.
    case missingValue(String)
    /// `--name` needs a number.
    case notANumber(String, String)
    /// A positional argument is missing.
    case missingArgument(String)
    /// A required option is missing.
    case missingOption(String)
    /// An option the command does not take (`--jsn` for `--json`).
    case unknownOption(command: String, option: String)
    /// A positional argument the command has no place for (`status extra`).
    case unexpectedArgument(command: String, argument: String)
    /// `--name` has a value of the wrong form; `expected` shows the right one.
    case badValue(option: String, value: String, expected: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .missingValue(let name): return "\(name) needs a value"
        case .notANumber(let name, let text): return "\(name) needs a number, not '\(text)'"
        case .missingArgument(let what): return "missing \(what)"
        case .missingOption(let name): return "missing \(name)"
        case .unknownOption(let command, let option): return "\(command) does not take \(option) (see heraldctl \(command) --help)"
        case .unexpectedArgument(let command, let argument): return "\(command) does not take the argument '\(argument)' (see heraldctl \(command) --help)"
        case .badValue(let option, let value, let expected): return "\(option) needs \(expected), not '\(value)'"
        }
    }
}
