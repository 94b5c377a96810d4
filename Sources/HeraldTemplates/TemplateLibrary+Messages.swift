/// Message templates: a directory per message holding one file per part.
extension TemplateLibrary {
    /// The part file names a message directory may hold.
    public static let messageParts = ["subject", "text", "html", "title", "body"]

    /// The message template `config/templates/NAME/`, each part in the best variant for `locale`
    /// (parts fall back independently, so a translated subject can pair with a default HTML body).
    public func message(named name: String, locale: String?) throws(TemplateError) -> MessageTemplate {
        func part(_ part: String) -> Template? { lookup(name + "/" + part, locale: locale) }
        let message = MessageTemplate(
            name: name, locale: locale, subject: part("subject"), text: part("text"), html: part("html"),
            title: part("title"), body: part("body"), partials: partials(locale: locale))
        guard message.subject != nil || message.text != nil || message.html != nil || message.title != nil
            || message.body != nil
        else {
            throw .templateNotFound(name: name, locale: locale, directory: directory.path)
        }
        return message
    }

    /// The names of every message template (directories with at least one part file), sorted.
    public var messageNames: [String] {
        let parts = Set(Self.messageParts)
        var names = Set<String>()
        for name in variants.keys {
            let pieces = name.split(separator: "/")
            if pieces.count == 2, pieces[0] != "partials", parts.contains(String(pieces[1])) {
                names.insert(String(pieces[0]))
            }
        }
        return names.sorted()
    }
}
