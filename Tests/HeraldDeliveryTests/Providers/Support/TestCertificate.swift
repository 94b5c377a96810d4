import Foundation

/// A throwaway self-signed certificate for 127.0.0.1, made with the `openssl` command.
struct TestCertificate {
    /// The PEM certificate (also the CA file to trust).
    let certificatePath: String
    /// The PEM private key.
    let keyPath: String

    /// Generates a fresh certificate and key in `directory`.
    init(in directory: URL) throws {
        certificatePath = directory.appendingPathComponent("cert.pem").path
        keyPath = directory.appendingPathComponent("key.pem").path
        try PeerProcess.run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certificatePath,
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
    }
}
