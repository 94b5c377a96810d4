import Foundation
import HeraldCore

/// Rendering one template file against a JSON file, for `heraldctl render`.
extension TemplateLibrary {
    /// Renders `templateFile` against the JSON in `data`.
    ///
    /// Partials and layouts come from `partialsDirectory` when given; otherwise from the template's
    /// own directory, or from its parent when that holds a `partials/` directory (so
    /// `config/templates/welcome/html.mustache` finds `config/templates/partials/layout.mustache`).
    /// Files named `subject`, `text`, `title` or `body` render without HTML escaping, anything else with it,
    /// unless `escaping` says otherwise. Errors name the file and line at fault.
    public static func renderPreview(
        templateFile: URL, data: URL, partialsDirectory: URL?, locale: String? = nil, escaping: TemplateEscaping? = nil
    ) throws(TemplateError) -> String {
        let source = try read(templateFile)
        let template = try Template(source: source, name: templateFile.path)
        let context = try readJSON(data)
        let partialsRoot = partialsDirectory ?? defaultPartialsDirectory(for: templateFile)
        let library = try TemplateLibrary(directory: partialsRoot)
        return try template.render(
            context, partials: library.partials(locale: locale), escaping: escaping ?? defaultEscaping(for: templateFile))
    }

    static func defaultPartialsDirectory(for templateFile: URL) -> URL {
        let folder = templateFile.deletingLastPathComponent()
        let parent = folder.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("partials").path),
           FileManager.default.fileExists(atPath: parent.appendingPathComponent("partials").path, isDirectory: &isDirectory),
           isDirectory.boolValue
        {
            return parent
        }
        return folder
    }

    static func defaultEscaping(for templateFile: URL) -> TemplateEscaping {
        let part = templateFile.lastPathComponent.split(separator: ".").first.map(String.init) ?? ""
        return ["subject", "text", "title", "body"].contains(part) ? .none : .html
    }

    static func readJSON(_ url: URL) throws(TemplateError) -> JSONValue {
        let text = try read(url)
        do {
            return try JSONValue.parse(text)
        } catch {
            let (line, column) = error.position(in: text.utf8)
            throw .invalidData(path: url.path, line: line, column: column, reason: error.reason)
        }
    }
}
