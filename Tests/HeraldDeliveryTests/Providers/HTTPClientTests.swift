import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

@testable import HeraldDelivery

@Suite("HTTPClient")
struct HTTPClientTests {
    @Test("concurrent requests over a small worker pool all complete")
    func concurrency() async throws {
        let peer = try await PeerProcess.start(script: "webhook_peer.py", arguments: ["--secret", WebhookProviderTests.secret])
        defer { peer.stop() }
        let client = HTTPClient(workers: 2)
        let base = peer.baseURL
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await client.send(HTTPClientRequest(method: "POST", url: base + "/status/\(200 + index % 3)", text: "{}")).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.sorted() == (0..<20).map { 200 + $0 % 3 }.sorted())
        #expect(try await peer.records(count: 20).count == 20)
    }

    @Test("a refused connection is a connection error; a bad URL is an invalid request")
    func failures() async throws {
        let client = HTTPClient(workers: 1)
        let port = try FreePort.find()
        await #expect {
            try await client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/x?token=secret"))
        } throws: { error in
            guard let error = error as? HTTPClientError, case .connectionFailed(let url, _) = error else { return false }
            return url == "http://127.0.0.1:\(port)/x" && error.providerError.isRetryable
        }
        await #expect {
            try await client.send(HTTPClientRequest(url: "gopher://example.com/"))
        } throws: { error in
            guard let error = error as? HTTPClientError, case .invalidRequest = error else { return false }
            return !error.providerError.isRetryable
        }
    }

    @Test("URLs in errors lose user info and query")
    func redaction() {
        #expect(HTTPClientError.redact("https://user:pw@example.com/a/b?key=1#f") == "https://example.com/a/b")
        #expect(HTTPClientError.redact("https://example.com/a@b") == "https://example.com/a@b")
    }

    @Test("Retry-After accepts seconds and HTTP dates")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryAfter.seconds(from: "120", now: now) == 120)
        #expect(RetryAfter.seconds(from: "Wed, 21 Oct 2015 07:29:30 GMT", now: now) == 90)
        #expect(RetryAfter.seconds(from: "soon", now: now) == nil)
        #expect(RetryAfter.seconds(from: nil, now: now) == nil)
    }
}
