/// Resolves partials and layouts from a `TemplateLibrary`, preferring one locale's variants:
/// `{{> footer}}` finds `partials/footer.ja.mustache` for `ja`, else `partials/footer.mustache`,
/// else a top-level `footer` template.
public struct LocalizedPartials: PartialResolver {
    /// The library the partials come from.
    public let library: TemplateLibrary
    /// The preferred locale, or `nil` for the default variants.
    public let locale: String?

    /// Resolves partials from `library`, preferring `locale`'s variants.
    public init(library: TemplateLibrary, locale: String?) {
        self.library = library
        self.locale = locale
    }

    /// The partial called `name`, or `nil` (a missing partial renders as nothing).
    public func template(named name: String) throws(TemplateError) -> Template? {
        lookup(name)
    }

    func lookup(_ name: String) -> Template? {
        library.lookup("partials/" + name, locale: locale) ?? library.lookup(name, locale: locale)
    }
}
