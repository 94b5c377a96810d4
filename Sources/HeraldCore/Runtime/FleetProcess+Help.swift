import Foundation

extension FleetProcess {
    /// Whether the arguments ask for help (`--help`, `-h` or `help`).
    public static func asksForHelp(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Bool {
        arguments.contains { $0 == "--help" || $0 == "-h" || $0 == "help" }
    }

    /// What each executable does, for its `--help`.
    static let purposes: [String: String] = [
        "herald-ingestor": "Validates producer events from <prefix>:ingest, routes them to their user's partition (deduplicated by messageId) and keeps rejected payloads in <prefix>:rejected.",
        "herald-evaluator": "Leases partitions and evaluates their events and timers against the published journeys, writing state, timers, send requests and the trail atomically.",
        "herald-scheduler": "Fires due timers into their partition's events stream, and deferred sends into their outbox.",
        "herald-edge": "Serves Herald's HTTP edge (docs/edge.md): the Segment Tracking API, one-click unsubscribe, provider callbacks, opens and clicks; it writes only Redis streams. A feature whose key is unset answers 404.",
    ]

    /// The `--help` text of executable `name`: what it does and, from the variable table
    /// (`ConfigurationCatalogue.herald`), every setting it reads.
    public static func helpText(for name: String) -> String {
        let purpose = purposes[name] ?? (name.hasSuffix("-sender")
            ? "Reads every partition's outbox of its channel and delivers each send request once: consent, quiet hours, caps, idempotency claim, render, provider call."
            : "A Herald worker.")
        let settings = HeraldExecutable(rawValue: name).map { ConfigurationCatalogue.herald.helpLines(for: $0) } ?? ""
        return """
            usage: \(name) [--help]

            \(purpose)
            Runs until SIGTERM or SIGINT. Settings come from the environment; each is checked at start, and a bad
            value or an unknown HERALD_* name exits 1 naming it (docs/configuration.md lists every variable):
            \(settings)
            """
    }
}
