import Foundation

/// The templates of a directory such as `config/templates/`, parsed once when the library is loaded.
///
/// Layout:
/// - `NAME.mustache` at the top level, with locale variants `NAME.ja.mustache`, `NAME.pt-BR.mustache`;
/// - `partials/NAME.mustache` for partials and layouts (`{{> footer}}`, `{{< layout}}`), which are
///   also looked up at the top level;
/// - `NAME/subject.mustache`, `NAME/text.mustache`, … for message templates (see `message(named:locale:)`).
///
/// Every file is parsed when the library loads, so a broken template fails at start-up with its
/// file and line rather than on the send path. The library is immutable and safe to share.
public struct TemplateLibrary: PartialResolver {
    /// The directory the templates were loaded from.
    public let directory: URL
    /// Parsed templates by name (relative path without extension), then by normalized locale (`""` = default).
    let variants: [String: [String: Template]]

    /// Loads and parses every `.mustache` file in `directory` and its immediate subdirectories.
    public init(directory: URL) throws(TemplateError) {
        self.directory = directory
        var variants: [String: [String: Template]] = [:]
        for file in try Self.templateFiles(in: directory) {
            let source = try Self.read(file.url)
            let template = try Template(source: source, name: file.displayName)
            if variants[file.name, default: [:]][file.locale] == nil {
                variants[file.name, default: [:]][file.locale] = template
            }
        }
        self.variants = variants
    }

    /// Every template name in the library (locale variants share a name), sorted.
    public var names: [String] { variants.keys.sorted() }

    /// The best variant of `name` for `locale`: the exact locale, then shorter tags (`pt-BR` → `pt`),
    /// then the default file. Locales compare case-insensitively and `_` matches `-`.
    public func template(named name: String, locale: String?) throws(TemplateError) -> Template {
        guard let template = lookup(name, locale: locale) else {
            throw .templateNotFound(name: name, locale: locale, directory: directory.path)
        }
        return template
    }

    /// Partial lookup in the default locale: `partials/NAME`, then `NAME`.
    public func template(named name: String) throws(TemplateError) -> Template? {
        partials(locale: nil).lookup(name)
    }

    /// A partial resolver that prefers `locale`'s variants of partials and layouts.
    public func partials(locale: String?) -> LocalizedPartials {
        LocalizedPartials(library: self, locale: locale)
    }

    /// The best variant of `name` for `locale`, if any.
    func lookup(_ name: String, locale: String?) -> Template? {
        guard let byLocale = variants[name] else { return nil }
        for candidate in TemplateLocale.fallbacks(locale) {
            if let template = byLocale[candidate] { return template }
        }
        return nil
    }

    /// A template file found while scanning.
    struct TemplateFile {
        var url: URL
        /// The name it is looked up by: the relative path without locale and extension.
        var name: String
        /// The normalized locale, `""` for the default variant.
        var locale: String
        /// The relative path, for error messages.
        var displayName: String
    }

    static func templateFiles(in directory: URL) throws(TemplateError) -> [TemplateFile] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .fileNotFound(path: directory.path)
        }
        var files: [TemplateFile] = []
        func scan(_ folder: URL, prefix: String, descend: Bool) throws(TemplateError) {
            let entries: [String]
            do {
                entries = try manager.contentsOfDirectory(atPath: folder.path).sorted()
            } catch {
                throw .unreadableFile(path: folder.path, reason: error.localizedDescription)
            }
            for entry in entries where !entry.hasPrefix(".") {
                let url = folder.appendingPathComponent(entry)
                var entryIsDirectory: ObjCBool = false
                guard manager.fileExists(atPath: url.path, isDirectory: &entryIsDirectory) else { continue }
                if entryIsDirectory.boolValue {
                    if descend { try scan(url, prefix: prefix + entry + "/", descend: false) }
                    continue
                }
                guard entry.hasSuffix(".mustache") else { continue }
                var stem = Substring(entry.dropLast(".mustache".count))
                var locale = ""
                if let dot = stem.lastIndex(of: "."), TemplateLocale.isLocaleTag(stem[stem.index(after: dot)...]) {
                    locale = TemplateLocale.normalize(String(stem[stem.index(after: dot)...])) ?? ""
                    stem = stem[..<dot]
                }
                files.append(TemplateFile(url: url, name: prefix + stem, locale: locale, displayName: prefix + entry))
            }
        }
        try scan(directory, prefix: "", descend: true)
        return files
    }

    static func read(_ url: URL) throws(TemplateError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { throw .fileNotFound(path: url.path) }
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .unreadableFile(path: url.path, reason: "not valid UTF-8")
        }
        return text
    }
}
