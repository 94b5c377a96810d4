extension JSONValue {
    /// Decodes a user's profile hash (trait name → the trait's JSON text, as the ingestor writes it)
    /// into traits; a value that is not JSON is kept as text.
    public static func traits(fromProfileHash reply: RESPValue) -> [String: JSONValue] {
        var traits: [String: JSONValue] = [:]
        for (name, value) in reply.fieldPairs {
            guard let bytes = value.bytes else { continue }
            traits[name] = (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
        }
        return traits
    }
}
