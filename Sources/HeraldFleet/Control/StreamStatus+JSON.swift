import HeraldCore

extension StreamStatus {
    /// The row as `heraldctl status --json` prints it; `lag` is `null` when Redis does not know it.
    public var json: JSONValue {
        .object([
            "stream": .string(stream), "length": .number(Double(length)), "group": group == "-" ? .null : .string(group),
            "pending": .number(Double(pending)), "consumers": .number(Double(consumers)),
            "lag": lag.map { .number(Double($0)) } ?? .null,
        ])
    }
}
