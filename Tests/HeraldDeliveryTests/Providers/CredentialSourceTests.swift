import Foundation
import Testing

@testable import HeraldDelivery

@Suite("CredentialSource and Secret")
struct CredentialSourceTests {
    @Test("reads NAME or NAME_FILE, rejects both, and never prints the value")
    func readsAndRedacts() throws {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("token")
        try "file-s3cret\n".write(to: file, atomically: true, encoding: .utf8)
        let source = CredentialSource(environment: ["A": "env-s3cret", "B_FILE": file.path, "C": "x", "C_FILE": file.path])
        #expect(try source.secret("A").reveal() == "env-s3cret")
        #expect(try source.secret("B").reveal() == "file-s3cret")
        #expect(throws: CredentialError.ambiguous(name: "C")) { try source.secret("C") }
        #expect(throws: CredentialError.missing(name: "D")) { try source.secret("D") }
        #expect(try source.optionalSecret("D") == nil)
        let secret = try source.secret("A")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("env-s3cret"))
        // A file saved with a CRLF line end keeps its whole value.
        let windows = directory.appendingPathComponent("crlf")
        try "crlf-s3cret\r\n".write(to: windows, atomically: true, encoding: .utf8)
        #expect(try CredentialSource(environment: ["F_FILE": windows.path]).secret("F").reveal() == "crlf-s3cret")
        let missingFile = CredentialSource(environment: ["E_FILE": "/nonexistent/herald"])
        #expect(throws: CredentialError.self) { try missingFile.secret("E") }
    }
}
