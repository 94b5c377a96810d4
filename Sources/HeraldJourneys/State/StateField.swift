import Foundation
import HeraldCore

/// Reads members of the stored state's JSON, naming the member that is missing or wrong.
struct StateField {
    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws(UserJourneyStateError) {
        guard case .object(let members) = value else { throw .invalid(path: path, expected: "an object") }
        self.members = members
        self.path = path
    }

    func string(_ key: String) throws(UserJourneyStateError) -> String {
        guard let text = members[key]?.stringValue else { throw .invalid(path: "\(path).\(key)", expected: "a string") }
        return text
    }

    func optionalString(_ key: String) -> String? { members[key]?.stringValue }

    func int(_ key: String) throws(UserJourneyStateError) -> Int {
        guard let number = members[key]?.numberValue else { throw .invalid(path: "\(path).\(key)", expected: "a number") }
        return Int(number)
    }

    func date(_ key: String) throws(UserJourneyStateError) -> Date {
        guard let date = optionalDate(key) else { throw .invalid(path: "\(path).\(key)", expected: "milliseconds since 1970") }
        return date
    }

    func optionalDate(_ key: String) -> Date? {
        members[key]?.numberValue.map { Date(timeIntervalSince1970: $0 / 1000) }
    }

    func array(_ key: String) -> [JSONValue] { members[key]?.arrayValue ?? [] }

    func object(_ key: String) -> [String: JSONValue] { members[key]?.objectValue ?? [:] }

    static func millis(_ date: Date) -> JSONValue { .number(Double(date.unixMilliseconds)) }
}
