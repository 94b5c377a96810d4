import CMicroHTTPD
import Foundation
import Synchronization

/// The requests one `HTTPServer` is reading or answering, keyed by their libmicrohttpd connection,
/// and the C callbacks that move each through its phases: read the body within the limit, suspend
/// the connection while the responder runs on a task, resume and queue the response.
final class HTTPConnectionTable: Sendable {
    private let responder: any HTTPResponder
    private let maximumBodyBytes: Int
    private let observer: (@Sendable (HTTPExchange) -> Void)?
    private let requests = Mutex<[UInt: HTTPRequestState]>([:])
    /// Whether the drain gave up on responders; held while a connection suspends, so the drain
    /// resumes only connections whose suspension has completed.
    private let abandoned = Mutex<Bool>(false)

    init(responder: any HTTPResponder, maximumBodyBytes: Int, observer: (@Sendable (HTTPExchange) -> Void)?) {
        self.responder = responder
        self.maximumBodyBytes = maximumBodyBytes
        self.observer = observer
    }

    /// Requests whose request line has arrived and which have not completed.
    var inFlight: Int { requests.withLock { $0.count } }

    /// Answers every request still waiting on its responder with `503` (the drain timed out).
    func abandonWaiting() {
        abandoned.withLock { $0 = true }
        let waiting = requests.withLock { Array($0.values) }
        for request in waiting {
            finish(request, with: .text(503, "shutting down\n"), byServer: true)
        }
    }

    // MARK: - Phases

    private func begin(target: String, connection: OpaquePointer) -> HTTPRequestState {
        let request = HTTPRequestState(target: target, connection: connection)
        requests.withLock { $0[UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection)))] = request }
        return request
    }

    private func end(_ connection: OpaquePointer) {
        _ = requests.withLock { $0.removeValue(forKey: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection)))) }
    }

    private func access(
        _ request: HTTPRequestState, connection: OpaquePointer, method: String, upload: UnsafePointer<CChar>?,
        uploadSize: UnsafeMutablePointer<Int>
    ) -> MHD_Result {
        switch request.phase {
        case .headers:
            request.phase = .body
            request.method = method
            request.headers = Self.headers(of: connection)
            request.remoteAddress = Self.address(of: connection)
            if let length = request.headers["Content-Length"].flatMap({ Int($0) }), length > maximumBodyBytes {
                return queueOverLimit(request, connection: connection)
            }
            return .YES
        case .body:
            let count = uploadSize.pointee
            if count > 0 {
                uploadSize.pointee = 0
                if request.discarded > 0 || request.body.count + count > maximumBodyBytes {
                    // libmicrohttpd answers only once the body is read: discard it, up to a bound,
                    // past which the connection is closed without an answer.
                    request.discarded += request.body.count + count
                    request.body = []
                    return request.discarded > maximumBodyBytes * 4 + 65536 ? .NO : .YES
                }
                if let upload {
                    upload.withMemoryRebound(to: UInt8.self, capacity: count) { request.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: count)) }
                }
                return .YES
            }
            if request.discarded > 0 { return queueOverLimit(request, connection: connection) }
            request.phase = .responding
            let built = request.request()
            let suspended = abandoned.withLock { abandoned -> Bool in
                if abandoned { return false }
                request.awaitResponse()
                MHD_suspend_connection(connection)
                return true
            }
            if !suspended { return queue(request, .text(503, "shutting down\n"), connection: connection, byServer: true) }
            let responder = self.responder
            Task {
                let response = await responder.respond(to: built)
                self.finish(request, with: response, byServer: false)
            }
            return .YES
        case .responding:
            // Resumed: the responder (or the drain) left the response.
            guard let response = request.takeResponse() else { return .YES }
            return queue(request, response.response, connection: connection, byServer: response.byServer)
        case .answered:
            uploadSize.pointee = 0
            return .YES
        }
    }

    /// Leaves `response` for the suspended connection and resumes it, once (the responder and an
    /// abandoning drain may race; the first wins).
    private func finish(_ request: HTTPRequestState, with response: HTTPResponse, byServer: Bool) {
        guard request.leave(response, byServer: byServer) else { return }
        MHD_resume_connection(request.connection)
    }

    private func queueOverLimit(_ request: HTTPRequestState, connection: OpaquePointer) -> MHD_Result {
        queue(request, .text(413, "request body larger than \(maximumBodyBytes) bytes\n"), connection: connection, byServer: true)
    }

    private func queue(_ request: HTTPRequestState, _ response: HTTPResponse, connection: OpaquePointer, byServer: Bool) -> MHD_Result {
        request.phase = .answered
        let answer = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
        }
        guard let answer else { return .NO }
        defer { MHD_destroy_response(answer) }
        for (name, value) in response.headers where name.lowercased() != "content-length" {
            _ = MHD_add_response_header(answer, name, value)
        }
        let result = MHD_queue_response(connection, UInt32(response.status), answer)
        if let observer {
            observer(HTTPExchange(
                request: request.request(), status: response.status, responseBytes: response.body.count,
                duration: ContinuousClock.now - request.started, answeredByServer: byServer))
        }
        return result
    }

    // MARK: - Reading libmicrohttpd's view of a connection

    private static func headers(of connection: OpaquePointer) -> HTTPHeaders {
        final class Collected { var fields: [(String, String)] = [] }
        let collected = Collected()
        withExtendedLifetime(collected) {
            _ = MHD_get_connection_values(connection, .HEADER_KIND, { context, _, key, value in
                guard let context, let key else { return .YES }
                Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue().fields.append(
                    (String(cString: key), value.map { String(cString: $0) } ?? ""))
                return .YES
            }, Unmanaged.passUnretained(collected).toOpaque())
        }
        return HTTPHeaders(collected.fields)
    }

    private static func address(of connection: OpaquePointer) -> String {
        guard let address = herald_mhd_client_address(connection) else { return "unknown" }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
            }
        case AF_INET6:
            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var raw = ipv6.pointee.sin6_addr
                _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
            }
        default:
            return "unknown"
        }
        let length = text.firstIndex(of: 0) ?? text.count
        return String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: - C callbacks (the context is the table, retained by HTTPDaemon)

    private static func table(_ context: UnsafeMutableRawPointer?) -> HTTPConnectionTable {
        Unmanaged<HTTPConnectionTable>.fromOpaque(context!).takeUnretainedValue()
    }

    static let uriLogCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?) -> UnsafeMutableRawPointer? = {
        context, uri, connection in
        guard let connection else { return nil }
        let request = table(context).begin(target: uri.map { String(cString: $0) } ?? "/", connection: connection)
        // The table holds the request; libmicrohttpd's pointer to it is unretained.
        return Unmanaged.passUnretained(request).toOpaque()
    }

    static let accessCallback: MHD_AccessHandlerCallback = { context, connection, _, method, _, upload, uploadSize, requestContext in
        guard let connection, let uploadSize, let requestContext, let pointer = requestContext.pointee else { return .NO }
        let request = Unmanaged<HTTPRequestState>.fromOpaque(pointer).takeUnretainedValue()
        return table(context).access(
            request, connection: connection, method: method.map { String(cString: $0) } ?? "GET", upload: upload,
            uploadSize: uploadSize)
    }

    static let completedCallback: MHD_RequestCompletedCallback = { context, connection, requestContext, _ in
        guard let connection else { return }
        table(context).end(connection)
        requestContext?.pointee = nil
    }

    static let connectionCallback: MHD_NotifyConnectionCallback = { context, connection, _, code in
        // A connection closed before its request reached the access handler (headers too large, a
        // stalled client timed out) never completes: forget its request here.
        guard let connection, code == .CONNECTION_NOTIFY_CLOSED else { return }
        table(context).end(connection)
    }
}
