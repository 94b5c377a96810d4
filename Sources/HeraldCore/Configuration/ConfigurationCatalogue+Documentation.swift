extension ConfigurationCatalogue {
    /// docs/configuration.md: every variable, generated from the table (`heraldctl config docs`).
    public func markdown() -> String {
        var lines = [
            "# Configuration",
            "",
            "<!-- Generated from ConfigurationCatalogue (Sources/HeraldCore/Configuration) by `heraldctl config docs`;",
            "     ConfigurationDocsTests fails when this file differs from what the table generates. Do not edit by hand. -->",
            "",
            "Every Herald process is configured by environment variables, and only by these. Each process",
            "reads and checks its whole environment when it starts, before it connects to Redis, and exits 1",
            "with one line naming the variable when:",
            "",
            "- a value is not what its type below says (`HERALD_BATCH_SIZE=12x is invalid: expected an integer ≥ 1`);",
            "- a `HERALD_*` variable is one no Herald process reads, a typo or a setting of another version",
            "  (`HERALD_BACTH_SIZE is not a Herald variable (did you mean HERALD_BATCH_SIZE?)`). There is no",
            "  switch to ignore it: remove the variable, or fix its name.",
            "",
            "An empty value is the same as unset. Integers are decimal; durations are whole milliseconds",
            "(`_MS`), seconds (`_S`) or days (`_DAYS`) as the name says; booleans are `true`, `false`, `1`",
            "or `0`, nothing else; a choice is one of the values listed (in any case). A variable marked",
            "*also `_FILE`* may instead be given as `NAME_FILE`, the path of a file holding the value (Docker",
            "and Kubernetes secrets; one trailing newline is dropped); setting both is an error. A variable",
            "with a plural `…S` form takes several values (comma- or line-separated) while a key is rotated.",
            "Provider settings marked *secondary* also have a `HERALD_<PROVIDER>_SECONDARY_<REST>` form, read",
            "by a secondary provider of the primary's own kind (`HERALD_SMTP_SECONDARY_URL`,",
            "`HERALD_WEBHOOK_SECONDARY_SECRET_FILE` …; [docs/delivery.md](delivery.md#configuring-failover)).",
            "Formats (quiet hours, caps, rates, Redis URLs) are checked by their readers as each process builds",
            "its services, still before it connects.",
            "",
            "Each executable's `--help` lists the variables it reads from the same table.",
        ]
        for section in ConfigurationSection.allCases {
            let members = variables.filter { $0.section == section }
            guard !members.isEmpty else { continue }
            lines += ["", "## \(section.rawValue)", "", "| variable | read by | type | default | meaning |", "|---|---|---|---|---|"]
            for variable in members {
                var name = "`\(variable.name)`"
                var notes: [String] = []
                if variable.forms.contains(.list) { name += " / `\(variable.name)S`" }
                if variable.forms.contains(.file) { notes.append("also `_FILE`") }
                if variable.forms.contains(.secondary) { notes.append("secondary") }
                if !notes.isEmpty { name += " (" + notes.joined(separator: ", ") + ")" }
                let row = [name, readers(variable), Self.cell(variable.kind.expected), Self.cell(variable.defaultValue), Self.cell(variable.summary)]
                lines.append("| " + row.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The settings `executable` reads, one per line, for its `--help`.
    public func helpLines(for executable: HeraldExecutable) -> String {
        variables(readBy: executable).map { variable in
            var name = variable.name
            if variable.forms.contains(.list) { name += "(S)" }
            if variable.forms.contains(.file) { name += "(_FILE)" }
            let padded = name.count < 38 ? name + String(repeating: " ", count: 38 - name.count) : name + " "
            return "  " + padded + variable.summary + " [" + variable.kind.expected + "; default " + variable.defaultValue + "]"
        }.joined(separator: "\n")
    }

    private func readers(_ variable: ConfigurationVariable) -> String {
        let processes = variable.processes
        if processes.isEmpty { return "scripts, tests" }
        if processes == HeraldExecutable.everyone { return "every process" }
        var parts: [String] = []
        var rest = processes
        if HeraldExecutable.senders.isSubset(of: rest) {
            parts.append("senders")
            rest.subtract(HeraldExecutable.senders)
        }
        parts = rest.sorted().map { $0 == .ctl || $0 == .bench ? $0.rawValue : String($0.rawValue.dropFirst("herald-".count)) } + parts
        return parts.joined(separator: ", ")
    }

    private static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
