/// Locale tags as template variants use them: case-insensitive, `_` read as `-`, and a fallback chain
/// from the most specific tag to the default (`pt-BR` → `pt` → default).
enum TemplateLocale {
    /// The canonical form of a tag (`pt_BR.UTF-8` → `pt-br`), or `nil` for an empty tag.
    static func normalize(_ tag: String) -> String? {
        var text = Substring(tag)
        if let cut = text.firstIndex(where: { $0 == "." || $0 == "@" }) { text = text[..<cut] }
        let normalized = String(text.lowercased().map { $0 == "_" ? "-" : $0 })
        return normalized.isEmpty ? nil : normalized
    }

    /// The variants to try in order, most specific first; the default variant (`""`) comes last.
    static func fallbacks(_ tag: String?) -> [String] {
        guard let tag, let normalized = normalize(tag) else { return [""] }
        var chain: [String] = []
        var subtags = normalized.split(separator: "-").map(String.init)
        while !subtags.isEmpty {
            chain.append(subtags.joined(separator: "-"))
            subtags.removeLast()
        }
        return chain + [""]
    }

    /// Whether a file-name component such as `ja`, `pt-BR` or `zh_Hant_TW` is a locale tag.
    static func isLocaleTag(_ text: Substring) -> Bool {
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
        guard let language = subtags.first, (2...3).contains(language.count),
              language.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return subtags.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}
