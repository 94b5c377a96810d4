/// One environment variable Herald reads: its name, who reads it, its type, default and meaning.
public struct ConfigurationVariable: Sendable, Hashable {
    /// The name, e.g. `HERALD_BATCH_SIZE`.
    public var name: String
    /// The executables that read it (empty for variables only scripts and tests read).
    public var processes: Set<HeraldExecutable>
    /// What it holds and how it is parsed.
    public var kind: ConfigurationKind
    /// The default as documented (`16`, `unset`, `derived …`).
    public var defaultValue: String
    /// One line saying what it does.
    public var summary: String
    /// Other names it may be set under (`_FILE`, a plural list, a secondary provider's).
    public var forms: ConfigurationForms
    /// Where docs/configuration.md lists it.
    public var section: ConfigurationSection

    /// Declares a variable.
    public init(
        _ name: String, _ section: ConfigurationSection, processes: Set<HeraldExecutable>, kind: ConfigurationKind,
        default defaultValue: String, forms: ConfigurationForms = [], _ summary: String
    ) {
        self.name = name
        self.section = section
        self.processes = processes
        self.kind = kind
        self.defaultValue = defaultValue
        self.forms = forms
        self.summary = summary
    }

    /// The value a process uses when the variable is unset: the documented default up to any
    /// ` (…)` note, when that is a value of the kind (`16`, `herald`, `drop`); `nil` when the
    /// default describes something else (`unset`, `none`, `derived …`, another variable's name).
    /// `ConfigurationReader` reads defaults from here, so each lives in the table only.
    public var defaultSetting: String? {
        switch kind {
        case .secret, .format: return nil
        default: break
        }
        var text = defaultValue
        if let note = text.range(of: " (") { text = String(text[..<note.lowerBound]) }
        if text.isEmpty || ["unset", "none", "off"].contains(text) || text.hasPrefix("HERALD_") || text.hasPrefix("derived") { return nil }
        return try? kind.parse(text, variable: name)
    }

    /// Every name it may be set under: itself, `_FILE`, `S` and `S_FILE` as its forms allow.
    public var names: [String] {
        var names = [name]
        if forms.contains(.list) { names.append(name + "S") }
        if forms.contains(.file) { names += names.map { $0 + "_FILE" } }
        return names
    }

    /// The name as written in the table: `HERALD_X` / `_FILE`, `HERALD_X(S)`.
    public var displayName: String {
        var text = "`\(name)`"
        if forms.contains(.list) { text += " / `\(name)S`" }
        if forms.contains(.file) { text += " (each also `_FILE`)".replacingOccurrences(of: "each also", with: forms.contains(.list) ? "each also" : "also") }
        return text
    }
}
