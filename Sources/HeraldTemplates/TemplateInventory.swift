import Foundation
import HeraldCore

/// What a template directory holds, read file by file so one broken file does not hide the
/// others: which message parts exist in which locale variants, and every file that does not
/// parse. `journeys validate` and `publish` ask it whether a step's template can be sent.
public struct TemplateInventory: Sendable {
    /// One `.mustache` file and whether it parses.
    public struct File: Sendable, Equatable {
        /// The path relative to the directory, e.g. `welcome/subject.ja.mustache`.
        public var path: String
        /// The lookup name without locale and extension, e.g. `welcome/subject`.
        public var name: String
        /// The normalized locale, `""` for the default variant.
        public var locale: String
        /// Why the file cannot be used (does not parse, unreadable), or `nil` when it parses.
        public var problem: TemplateError?
    }

    /// The directory read.
    public let directory: URL
    /// Every template file, in the order found.
    public let files: [File]

    /// Reads and parses every file; throws only when the directory itself cannot be read.
    public init(directory: URL) throws(TemplateError) {
        self.directory = directory
        var files: [File] = []
        for file in try TemplateLibrary.templateFiles(in: directory) {
            var problem: TemplateError?
            do {
                _ = try Template(source: try TemplateLibrary.read(file.url), name: file.displayName)
            } catch {
                problem = error
            }
            files.append(File(path: file.displayName, name: file.name, locale: file.locale, problem: problem))
        }
        self.files = files
    }

    /// What would keep message template `name` from being sent on `channel`, one sentence each
    /// (empty when it can be sent): the directory missing, parts the channel needs missing from
    /// the default variant (which every locale falls back to), files of it that do not parse.
    public func problems(message name: String, channel: Channel) -> [String] {
        let parts = Set(TemplateLibrary.messageParts)
        let own = files.filter { file in
            let pieces = file.name.split(separator: "/", omittingEmptySubsequences: false)
            return pieces.count == 2 && pieces[0] == Substring(name) && parts.contains(String(pieces[1]))
        }
        guard !own.isEmpty else {
            let known = messageNames
            return ["no template '\(name)' in \(directory.path) (expected \(name)/\(Self.expectedFiles(channel)); "
                + (known.isEmpty ? "the directory has no message templates)" : "known: " + known.joined(separator: ", ") + ")")]
        }
        var found: [String] = []
        let defaults = Set(own.filter { $0.locale.isEmpty }.map { String($0.name.split(separator: "/")[1]) })
        let missing = MessageTemplate.missingParts(present: defaults, for: channel)
        if !missing.isEmpty {
            let variants = Set(own.filter { !$0.locale.isEmpty }.map(\.locale)).sorted()
            found.append("template '\(name)' cannot be sent by \(channel.rawValue): no default \(missing.joined(separator: " and ")) part in \(directory.path)/\(name)/"
                + (variants.isEmpty ? "" : " (locale variants \(variants.joined(separator: ", ")) do not replace the default, which every other locale falls back to)"))
        }
        for file in own {
            if let problem = file.problem { found.append("template '\(name)': \(problem)") }
        }
        return found
    }

    /// The names of every message template (directories with at least one part file), sorted.
    public var messageNames: [String] {
        let parts = Set(TemplateLibrary.messageParts)
        var names = Set<String>()
        for file in files {
            let pieces = file.name.split(separator: "/")
            if pieces.count == 2, pieces[0] != "partials", parts.contains(String(pieces[1])) { names.insert(String(pieces[0])) }
        }
        return names.sorted()
    }

    /// The part files `channel` needs, for a message naming what to create.
    static func expectedFiles(_ channel: Channel) -> String {
        switch channel {
        case .email: return "subject.mustache and text.mustache or html.mustache"
        case .sms, .push, .inapp, .webhook: return "body.mustache"
        }
    }
}
