import Foundation

/// A throwaway key pair generated with `openssl genpkey`, as PEM files.
struct TestKeyPair {
    /// The PKCS#8 private key file.
    let privateKeyPath: String
    /// The SubjectPublicKeyInfo public key file.
    let publicKeyPath: String

    /// The private key's PEM text.
    var privateKeyPEM: String { (try? String(contentsOfFile: privateKeyPath, encoding: .utf8)) ?? "" }

    /// Generates a 2048-bit RSA key pair in `directory`.
    static func rsa(in directory: URL) throws -> TestKeyPair {
        try TestKeyPair(in: directory, name: "rsa", options: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
    }

    /// Generates an EC P-256 key pair (like an APNs .p8 key) in `directory`.
    static func p256(in directory: URL) throws -> TestKeyPair {
        try TestKeyPair(in: directory, name: "p256", options: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
    }

    private init(in directory: URL, name: String, options: [String]) throws {
        privateKeyPath = directory.appendingPathComponent("\(name).key.pem").path
        publicKeyPath = directory.appendingPathComponent("\(name).pub.pem").path
        try PeerProcess.run(["openssl", "genpkey"] + options + ["-out", privateKeyPath])
        try PeerProcess.run(["openssl", "pkey", "-in", privateKeyPath, "-pubout", "-out", publicKeyPath])
    }
}
