import HeraldCore

extension EngagementHours {
    /// The readable form: `{"zone": …, "hours": [24 counts]}`.
    var json: JSONValue {
        .object(["zone": .string(zone), "hours": .array(counts.map { .number(Double($0)) })])
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        let hours = field.array("hours").compactMap { $0.numberValue.flatMap { $0 == $0.rounded() ? Int($0) : nil } }
        guard hours.count == field.array("hours").count, let histogram = EngagementHours(zone: try field.string("zone"), counts: hours) else {
            throw .invalid(path: "\(path).hours", expected: "24 whole non-negative counts")
        }
        self = histogram
    }

    /// The stored form version 2: `[zone, hour, count, hour, count, …]` for the hours with a count.
    var compactJSON: JSONValue {
        var values: [JSONValue] = [.string(zone)]
        for (hour, count) in counts.enumerated() where count > 0 { values += [.number(Double(hour)), .number(Double(count))] }
        return .array(values)
    }

    /// The readable form of `compactJSON`; `nil` when the value is not of its shape.
    static func expand(compact value: JSONValue) -> JSONValue? {
        guard let values = value.arrayValue, let zone = values.first?.stringValue, values.count % 2 == 1 else { return nil }
        var counts = Array(repeating: 0.0, count: 24)
        var index = 1
        while index < values.count {
            guard let hour = values[index].numberValue, let count = values[index + 1].numberValue, hour == hour.rounded(), (0..<24).contains(Int(hour)) else {
                return nil
            }
            counts[Int(hour)] = count
            index += 2
        }
        return .object(["zone": .string(zone), "hours": .array(counts.map(JSONValue.number))])
    }
}
