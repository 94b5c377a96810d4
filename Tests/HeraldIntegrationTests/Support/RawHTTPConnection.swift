import Foundation
import HeraldTestSupport

/// A client connection that writes exactly the bytes a test gives it (well-formed, malformed,
/// trickled) and reads HTTP/1.1 responses, for tests of an HTTP server's edges.
final class RawHTTPConnection {
    /// One response read off the connection.
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    let fd: Int32
    private var buffered: [UInt8] = []

    /// Connects to `127.0.0.1:port`; `nil` when refused. Reads time out after `timeout`.
    init?(port: Int, timeout: Duration = .seconds(5)) {
        guard let fd = FreePort.connected(port: port) else { return nil }
        self.fd = fd
        let seconds = timeout.components.seconds
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Writes `bytes`; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            sent += written
        }
        return true
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Sends a request with `Content-Length` and reads its response.
    func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> Response? {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        guard send(Array(head.utf8) + body) else { return nil }
        return readResponse(method: method)
    }

    /// Reads one response (`nil` when the connection closes or the read times out first).
    func readResponse(method: String = "GET") -> Response? {
        guard let end = fill(until: { Self.find([13, 10, 13, 10], in: $0) }) else { return nil }
        let head = String(decoding: buffered[..<end], as: UTF8.self)
        buffered.removeFirst(end + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [])
        let length = method == "HEAD" ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        guard fill(until: { $0.count >= length ? length : nil }) != nil else { return nil }
        response.body = Array(buffered[..<length])
        buffered.removeFirst(length)
        return response
    }

    /// Whether the server closes the connection (a read returns 0 or fails) before `timeout`.
    func closesWithin(_ timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        }
        return false
    }

    private func fill(until found: ([UInt8]) -> Int?) -> Int? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let index = found(buffered) { return index }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffered += chunk[0..<count]
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
