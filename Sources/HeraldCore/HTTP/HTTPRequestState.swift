import Foundation
import Synchronization

/// One request on its way through `HTTPConnectionTable`: what has been read so far, and the slot
/// where the responder's task leaves the response for the suspended connection.
// @unchecked Sendable: everything but `slot` is read and written only from the libmicrohttpd
// thread polling this request's connection (one at a time: a suspended connection is not polled
// until resumed, and the resume happens after the response was left under the slot's mutex).
final class HTTPRequestState: @unchecked Sendable {
    /// Where the request is.
    enum Phase {
        case headers, body, responding, answered
    }

    /// The response slot, shared with the responder's task.
    private enum Slot {
        case idle
        case awaiting
        case left(HTTPResponse, byServer: Bool)
        case taken
    }

    let target: String
    let connection: OpaquePointer
    let started = ContinuousClock.now
    var phase = Phase.headers
    var method = "GET"
    var headers = HTTPHeaders()
    var remoteAddress = "unknown"
    var body: [UInt8] = []
    /// Body bytes read past the limit and dropped.
    var discarded = 0
    private let slot = Mutex<Slot>(.idle)

    init(target: String, connection: OpaquePointer) {
        self.target = target
        self.connection = connection
    }

    /// The request as a responder sees it: path and query parsed from the target as sent.
    func request() -> HTTPRequest {
        let (path, query) = HTTPFormEncoding.split(target: target)
        return HTTPRequest(
            method: method, path: path, query: query, headers: headers, body: body, remoteAddress: remoteAddress, target: target)
    }

    /// Marks the request as waiting for its response (before the connection is suspended).
    func awaitResponse() { slot.withLock { $0 = .awaiting } }

    /// Leaves the response if the request is still waiting for one; false when another already did.
    func leave(_ response: HTTPResponse, byServer: Bool) -> Bool {
        slot.withLock { slot in
            guard case .awaiting = slot else { return false }
            slot = .left(response, byServer: byServer)
            return true
        }
    }

    /// The response left, once.
    func takeResponse() -> (response: HTTPResponse, byServer: Bool)? {
        slot.withLock { slot in
            guard case .left(let response, let byServer) = slot else { return nil }
            slot = .taken
            return (response, byServer)
        }
    }
}
