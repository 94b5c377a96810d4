/// A lexical piece of a template: literal text (never spanning more than one line) or one tag.
struct TemplateToken {
    /// What the token is.
    enum Kind: Equatable {
        case text
        case variable(escaped: Bool)
        case sectionOpen
        case invertedOpen
        case close
        case comment
        case setDelimiters
        case partial
        case parentOpen
        case blockOpen

        /// Whether a tag of this kind alone on a line removes the line (the spec's "standalone" rule).
        var canStandAlone: Bool {
            switch self {
            case .text, .variable: return false
            default: return true
            }
        }

        /// Whether this kind opens a region that `{{/name}}` closes.
        var opensRegion: Bool {
            switch self {
            case .sectionOpen, .invertedOpen, .parentOpen, .blockOpen: return true
            default: return false
            }
        }
    }

    var kind: Kind
    /// The trimmed tag name (`*name` for dynamic partials and parents); empty for text and comments.
    var name: String
    /// Byte range of the text, or of the whole tag including delimiters.
    var start: Int
    var end: Int
    /// The 1-based source line the token starts on.
    var line: Int
    /// The delimiters in effect after this token, for re-parsing a block's content on its own.
    var openDelimiter: [UInt8]
    var closeDelimiter: [UInt8]
    /// For a close tag: the kind of tag it closes when the names match, found while tokenizing.
    var closes: Kind?

    /// Set by the standalone pass: the tag's line is removed from the output.
    var isStandalone = false
    /// Set by the standalone pass on text that belongs to a removed line.
    var isRemoved = false
    /// The white space before a standalone tag on its line.
    var indentation: [UInt8] = []
    /// For opening tags: where the content after the tag begins (past a removed line ending).
    var contentStart: Int
    /// For close tags: where the content before the tag ends (before a removed line's indentation).
    var contentEnd: Int

    init(kind: Kind, name: String, start: Int, end: Int, line: Int, openDelimiter: [UInt8], closeDelimiter: [UInt8]) {
        self.kind = kind
        self.name = name
        self.start = start
        self.end = end
        self.line = line
        self.openDelimiter = openDelimiter
        self.closeDelimiter = closeDelimiter
        contentStart = end
        contentEnd = start
    }
}
