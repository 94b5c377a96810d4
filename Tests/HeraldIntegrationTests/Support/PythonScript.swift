import Foundation
import HeraldCore
import HeraldTestSupport

/// Runs a Python script with the test venv's interpreter (`HERALD_TEST_PYTHON`, packages from
/// scripts/requirements-test.txt), JSON in on stdin and JSON out on stdout, so tests check Herald
/// against the real libraries (Twilio's `RequestValidator`, `standardwebhooks`).
enum PythonScript {
    /// The script's stdout parsed as JSON; throws with its stderr when it fails.
    static func run(_ script: String, input: JSONValue) throws -> JSONValue {
        let python = ProcessInfo.processInfo.environment["HERALD_TEST_PYTHON"] ?? "python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.serialized().utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError.missing("python script failed: \(problems)") }
        return try JSONValue.parse(Array(data))
    }

    /// Runs `script` with `arguments`; its exit status and its stdout and stderr together.
    static func run(_ script: String, arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ProcessInfo.processInfo.environment["HERALD_TEST_PYTHON"] ?? "python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Twilio's own signature for `url` and form `params` (`twilio.request_validator.RequestValidator`).
    static func twilioSignature(token: String, url: String, params: [String: String]) throws -> String {
        let script = """
            import json, sys
            from twilio.request_validator import RequestValidator
            args = json.load(sys.stdin)
            print(json.dumps(RequestValidator(args["token"]).compute_signature(args["url"], args["params"])))
            """
        let input: JSONValue = ["token": .string(token), "url": .string(url), "params": .object(params.mapValues { .string($0) })]
        return try run(script, input: input).stringValue ?? ""
    }

    /// The `standardwebhooks` library's headers for `body` signed with `secret` at `timestamp`.
    static func standardWebhookHeaders(secret: String, id: String, timestamp: Int, body: String) throws -> [String: String] {
        let script = """
            import json, sys
            from datetime import datetime, timezone
            from standardwebhooks.webhooks import Webhook
            args = json.load(sys.stdin)
            at = datetime.fromtimestamp(args["timestamp"], tz=timezone.utc)
            signature = Webhook(args["secret"]).sign(args["id"], at, args["body"])
            print(json.dumps({"webhook-id": args["id"], "webhook-timestamp": str(args["timestamp"]), "webhook-signature": signature}))
            """
        let input: JSONValue = ["secret": .string(secret), "id": .string(id), "timestamp": .number(Double(timestamp)), "body": .string(body)]
        return (try run(script, input: input).objectValue ?? [:]).compactMapValues(\.stringValue)
    }
}
