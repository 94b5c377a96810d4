/// Adds the user to named lists and removes them from others. Memberships live under the user's
/// partition, are tested with `{"inList": NAME}` conditions and listed by `heraldctl lists NAME`.
public struct UpdateListsStep: Sendable, Hashable, Codable {
    /// Lists to join.
    public var add: [String]?
    /// Lists to leave.
    public var remove: [String]?

    /// Creates a list update.
    public init(add: [String]? = nil, remove: [String]? = nil) {
        self.add = add
        self.remove = remove
    }

    /// Whether `name` is a valid list name: 1 to 64 letters, digits, `-`, `_`, `.` or `:`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-_.:".contains($0) }
    }
}
