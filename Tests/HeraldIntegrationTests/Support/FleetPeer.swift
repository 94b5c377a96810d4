import Foundation
import HeraldCore
import HeraldTestSupport

/// A Python protocol peer (a real SMTP server, a Twilio API stand-in, a standardwebhooks-verifying
/// HTTP receiver) on a
/// free loopback port, for tests that drive it through the fleet's sender processes. Each accepted
/// request is written by the peer as `DIR/<n>.json`.
final class FleetPeer: @unchecked Sendable {
    // @unchecked: the child is started in init and only stopped by the owning test.
    let port: Int
    let directory: URL
    private let child: ChildProcess

    /// The delivery tests' peers (smtp_peer.py, peer_common.py, eml_json.py), reused as they are.
    static let deliveryPeers = Executables.packageRoot.appendingPathComponent("Tests/HeraldDeliveryTests/Peers")

    /// Starts `script` (a path) with `--port PORT --dir DIR` and `arguments`, then waits until it listens.
    init(script: URL, arguments: [String] = []) async throws {
        port = try FreePort.find()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-peer-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        child = try ChildProcess(
            path: "/usr/bin/env", arguments: ["python3", script.path, "--port", String(port), "--dir", directory.path] + arguments,
            environment: ProcessInfo.processInfo.environment, output: directory.appendingPathComponent("peer.log").path)
        let deadline = Date().addingTimeInterval(20)
        while !FreePort.accepts(port: port) {
            guard child.isRunning, Date() < deadline else {
                throw FixtureError.missing("peer \(script.lastPathComponent) did not listen (run `source scripts/lib/setup.sh && herald_ensure_python`): \(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A real aiosmtpd SMTP server.
    static func smtp() async throws -> FleetPeer {
        try await FleetPeer(script: deliveryPeers.appendingPathComponent("smtp_peer.py"))
    }

    /// The Twilio Messages API stand-in (twilio_peer.py): 400/21211 for `+15005550001`.
    static func twilio(account: String, token: String) async throws -> FleetPeer {
        try await FleetPeer(script: deliveryPeers.appendingPathComponent("twilio_peer.py"), arguments: ["--account", account, "--token", token])
    }

    /// A webhook receiver verifying with the standardwebhooks library (see `FlakyWebhookPeer`).
    static func webhook(secret: String) async throws -> FleetPeer {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-webhook-peer-\(UUID().uuidString.prefix(8)).py")
        try Data(FlakyWebhookPeer.source(peersDirectory: deliveryPeers.path).utf8).write(to: script)
        return try await FleetPeer(script: script, arguments: ["--secret", secret])
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    var log: String { (try? String(contentsOf: directory.appendingPathComponent("peer.log"), encoding: .utf8)) ?? "" }

    /// The records written so far, in order.
    func records() throws -> [JSONValue] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }
            .sorted { (Int($0.dropLast(5)) ?? 0) < (Int($1.dropLast(5)) ?? 0) }
        return try names.map { try JSONValue.parse(String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    deinit {
        child.signal(SIGTERM)
        child.wait()
        try? FileManager.default.removeItem(at: directory)
    }
}
