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

    /// Every `--option` the usage entry of `command` names, plus `--help`.
    static func options(of command: String) -> Set<String> {
        var found: Set<String> = ["--help"]
        for line in usageEntry(for: command) {
            var rest = Substring(line)
            while let range = rest.range(of: "--") {
                let name = rest[range.lowerBound...].prefix { $0 == "-" || $0.isLetter || $0.isNumber }
                if name.count > 2 { found.insert(String(name)) }
                rest = rest[range.upperBound...]
            }
        }
        return found
    }

    /// `--help`/`-h` after a known command prints its usage (exit 0); an option it does not take is
    /// a usage error (exit 2). `nil` means: go on and run it.
    func preflight(_ command: String, _ arguments: [String]) throws(CommandOptionsError) -> Int32? {
        let entry = Self.usageEntry(for: command)
        guard !entry.isEmpty else { return nil }
        if arguments.contains("--help") || arguments.contains("-h") {
            print("usage:\n" + entry.joined(separator: "\n"))
            return 0
        }
        let accepted = Self.options(of: command)
        for argument in arguments where argument.hasPrefix("--") {
            let name = String(argument.prefix { $0 != "=" })
            if !accepted.contains(name) { throw .unknownOption(command: command, option: name) }
        }
        return nil
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
