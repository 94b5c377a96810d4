import Foundation

extension HeraldCtl {
    /// The usage lines of `command` (its entries in `usage`, with their descriptions), so a
    /// command's help and the options it accepts come from the one table `heraldctl help` prints.
    static func usageEntry(for command: String) -> [String] {
        var entry: [String] = []
        var inEntry = false
        for line in usage.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let text = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix { $0 == " " }.count
            if indent > 0 && indent < 20 && (text == command || text.hasPrefix(command + " ")) {
                inEntry = true
                entry.append(line)
            } else if inEntry && indent >= 20 && !text.isEmpty {
                entry.append(line)
            } else {
                inEntry = false
            }
        }
        return entry
    }

    /// The forms `command` can be written in, from its usage entry: the text before the
    /// description column (`trail USER [--count N]`), one per form line.
    static func usageForms(for command: String) -> [String] {
        usageEntry(for: command).compactMap { line -> String? in
            let indent = line.prefix { $0 == " " }.count
            guard indent < 20 else { return nil }
            let text = line.trimmingCharacters(in: .whitespaces)
            // The description starts after a run of two or more spaces.
            guard let gap = text.range(of: "  ") else { return text }
            return String(text[..<gap.lowerBound])
        }
    }

    /// One form of a command, read from its usage line: the positional words in order (literal
    /// action words such as `replay`, placeholders such as `USER`), and the options it names.
    struct UsageForm: Sendable {
        /// Positional tokens after the command name: lowercase ones are literal words.
        var positionals: [String]
        /// Options this form names, and whether each takes a value (`--count N`).
        var options: [String: Bool]

        init(_ form: String) {
            let tokens = form.split(separator: " ").dropFirst()
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
                .filter { !$0.isEmpty && $0 != "|" }
            positionals = []
            options = [:]
            var index = 0
            while index < tokens.count {
                let token = tokens[index]
                if token.hasPrefix("--") {
                    let takesValue = index + 1 < tokens.count && !tokens[index + 1].hasPrefix("--") && Self.isPlaceholder(tokens[index + 1])
                    options[token] = takesValue
                    index += takesValue ? 2 : 1
                } else {
                    positionals.append(token)
                    index += 1
                }
            }
        }

        /// `USER`, `DIR|FILE`, `FILE.jsonl`, `ID…`: a token naming a value rather than a literal word.
        static func isPlaceholder(_ token: String) -> Bool { token.contains { $0.isUppercase } }

        /// How many positionals the form takes (`Int.max` for a trailing `ID…`).
        var capacity: Int { positionals.contains { $0.hasSuffix("…") } ? Int.max : positionals.count }

        /// Whether the literal words of the form match `given` (a missing literal matches nothing).
        func matches(_ given: [String]) -> Bool {
            for (index, token) in positionals.enumerated() where !Self.isPlaceholder(token) {
                guard index < given.count, given[index] == token else { return false }
            }
            return true
        }
    }

    /// `--help`/`-h` after a known command prints its usage (exit 0). The command line is checked
    /// against the command's forms in the usage table before anything runs: an option no matching
    /// form names, an option without its value and a positional argument too many are usage
    /// errors (exit 2). `nil` means: go on and run it.
    func preflight(_ command: String, _ arguments: [String]) throws(CommandOptionsError) -> Int32? {
        let entry = Self.usageEntry(for: command)
        guard !entry.isEmpty else { return nil }
        if arguments.contains("--help") || arguments.contains("-h") {
            print("usage:\n" + entry.joined(separator: "\n"))
            return 0
        }
        let forms = Self.usageForms(for: command).map(UsageForm.init)
        var takesValue: [String: Bool] = [:]
        for form in forms { takesValue.merge(form.options) { $0 || $1 } }
        // Options and their values first, so what is left are the positionals.
        var given: [String] = []
        var named: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                given.append(argument)
                continue
            }
            let name = String(argument.prefix { $0 != "=" })
            guard let needsValue = takesValue[name] else { throw .unknownOption(command: command, option: name) }
            named.append(name)
            if needsValue && !argument.contains("=") {
                guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw .missingValue(name) }
                index += 1
            }
        }
        // Only the forms whose action words match judge the rest; none matching is left to the
        // command, which names the actions it knows.
        let matching = forms.filter { $0.matches(given) }
        guard !matching.isEmpty else { return nil }
        let capacity = matching.map(\.capacity).max() ?? 0
        if given.count > capacity { throw .unexpectedArgument(command: command, argument: given[capacity]) }
        let accepted = Set(matching.flatMap(\.options.keys))
        if let stray = named.first(where: { !accepted.contains($0) }) {
            throw .unknownOption(command: command, option: stray)
        }
        return nil
    }

    /// The usage lines of `command` without their descriptions, for a usage error; the whole
    /// table's first line when the command is unknown.
    static func usageLines(for command: String?) -> String {
        let forms = command.map(usageForms(for:)) ?? []
        if forms.isEmpty { return "usage: heraldctl COMMAND [options] (heraldctl --help lists the commands)" }
        return forms.map { "usage: heraldctl " + $0 }.joined(separator: "\n")
    }

    /// A file error in plain words (`cannot read FILE: no such file`), or `nil` for other errors.
    static func plainFileError(_ error: any Error) -> String? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path ?? "the file"
        switch ns.code {
        case CocoaError.fileReadNoSuchFile.rawValue, CocoaError.fileNoSuchFile.rawValue: return "cannot read \(path): no such file"
        case CocoaError.fileReadNoPermission.rawValue: return "cannot read \(path): permission denied"
        default: return "cannot read \(path): \(ns.localizedDescription)"
        }
    }
}
