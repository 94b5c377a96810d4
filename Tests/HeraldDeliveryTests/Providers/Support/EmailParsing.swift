import Foundation
import HeraldCore

/// Parses email bytes with Python's standard `email` package (via `Peers/eml_json.py`).
enum EmailParsing {
    /// The JSON description `eml_json.py` gives of `bytes`.
    static func describe(_ bytes: [UInt8]) throws -> JSONValue {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("message.eml")
        try Data(bytes).write(to: file)
        return try describe(file: file.path)
    }

    /// The JSON description of the email in `file`.
    static func describe(file: String) throws -> JSONValue {
        try JSONValue.parse(PeerProcess.python("eml_json.py", [file]))
    }

    /// The decoded body of the first part of `type` (`text/plain`, `text/html`), with line breaks as
    /// LF and the line break that ends the part removed (Python keeps it for single-part messages).
    static func body(_ description: JSONValue, type: String) -> String? {
        guard let raw = description["parts"]?.arrayValue?.first(where: { $0["content_type"]?.stringValue == type })?["body"]?.stringValue
        else { return nil }
        var body = raw.replacingOccurrences(of: "\r\n", with: "\n")
        if body.hasSuffix("\n") { body.removeLast() }
        return body
    }
}
