import Foundation
import HeraldCore

/// Segment's HTTP Tracking API on the edge: `POST /v1/{track,identify,page,screen,group,alias,batch,import}`.
///
/// Answers `200 {"success":true}` once every message is stored: valid ones on the ingest stream
/// (one `ingest` call per request), invalid ones in `herald:rejected` with their reason, which is
/// Segment's behaviour too (it answers 200 for messages it later drops as invalid). A request-level
/// fault is refused whole and stores nothing: 400 (bad JSON, too large, bad gzip), 401 (write key),
/// 415 (content type or encoding), 429 (per-key rate), 503 (Redis down).
public struct SegmentTrackingAPI: Sendable {
    /// The keys and limits.
    public let configuration: SegmentAPIConfiguration
    /// Where messages go.
    public let writer: any EdgeStreamWriter
    private let rateLimiter: SegmentRateLimiter?
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// Creates the API; `clock` stamps `receivedAt`, `rateClock` (seconds) drives the rate limit.
    public init(
        configuration: SegmentAPIConfiguration, writer: any EdgeStreamWriter, logger: Logger = Logger(service: "herald-edge"),
        clock: @escaping @Sendable () -> Date = { Date() }, rateClock: (@Sendable () -> Double)? = nil
    ) {
        self.configuration = configuration
        self.writer = writer
        self.logger = logger
        self.clock = clock
        rateLimiter = configuration.ratePerKey.map { rate in
            rateClock.map { SegmentRateLimiter(rate: rate, capacity: configuration.burst, clock: $0) }
                ?? SegmentRateLimiter(rate: rate, capacity: configuration.burst)
        }
    }

    /// Adds every endpoint to `router`, with an `OPTIONS` preflight answer for browsers.
    public func register(in router: inout HTTPRouter) {
        for endpoint in SegmentEndpoint.allCases {
            router.add("POST", endpoint.path, name: endpoint.routeName) { request in await respond(to: request, endpoint: endpoint) }
            router.add("OPTIONS", endpoint.path, name: endpoint.routeName) { _ in Self.preflight }
        }
    }

    /// The response to one request on `endpoint`. Every answer allows any origin to read it, as
    /// Segment's API does, so analytics.js in a browser sees its result instead of a CORS failure
    /// (and does not resend what was stored).
    public func respond(to request: HTTPRequest, endpoint: SegmentEndpoint) async -> HTTPResponse {
        var response: HTTPResponse
        do {
            response = try await handle(request, endpoint: endpoint)
        } catch {
            response = error.response
        }
        response.headers.set("Access-Control-Allow-Origin", "*")
        return response
    }

    /// `204` allowing a cross-origin `POST` with the headers the SDKs send.
    static var preflight: HTTPResponse {
        HTTPResponse(status: 204, headers: HTTPHeaders([
            ("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "POST, OPTIONS"),
            ("Access-Control-Allow-Headers", "Authorization, Content-Type, Content-Encoding"), ("Access-Control-Max-Age", "86400"),
        ]))
    }

    private func handle(_ request: HTTPRequest, endpoint: SegmentEndpoint) async throws(SegmentAPIError) -> HTTPResponse {
        let type = request.mediaType
        guard type == "application/json" || type == "text/plain" else { throw .unsupportedMediaType(type) }
        var headerKey: Int?
        if let authorization = request.headers["Authorization"] {
            guard let user = SegmentWriteKeys.basicUser(authorization: authorization), let index = configuration.writeKeys.match(user) else {
                throw .unauthorized("the write key is not valid")
            }
            headerKey = index
        }
        guard request.body.count <= endpoint.bodyLimit else { throw .tooLarge(limit: endpoint.bodyLimit) }
        var body = request.body
        switch request.headers["Content-Encoding"]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "identity": break
        case "gzip", "x-gzip":
            do { body = try Gzip.inflate(body, limit: endpoint.bodyLimit) } catch {
                switch error {
                case .tooLarge(let limit): throw .tooLarge(limit: limit)
                case .corrupt: throw .badGzip(error.description)
                }
            }
        case let other?: throw .unsupportedEncoding(other)
        }
        let batch = try SegmentBatch.parse(body, endpoint: endpoint, receivedAt: clock()) { "api-" + UUID().uuidString.lowercased() }
        guard let key = headerKey ?? batch.writeKey.flatMap(configuration.writeKeys.match) else {
            throw .unauthorized(batch.writeKey == nil ? "a write key is required: send it as the Basic auth user" : "the write key is not valid")
        }
        if let rateLimiter, case .limited(let seconds) = rateLimiter.take(max(1, batch.messages.count), key: key) {
            throw .rateLimited(retryAfter: seconds)
        }
        var accepted: [[UInt8]] = []
        var refused: [(payload: [UInt8], rejection: EventRejection)] = []
        for message in batch.messages {
            switch message {
            case .accepted(let payload): accepted.append(payload)
            case .rejected(let payload, let rejection): refused.append((payload, rejection))
            }
        }
        do {
            // Rejections first: if storing them fails the client retries the whole request and no
            // valid message has been stored twice under a generated messageId.
            try await writer.reject(refused, route: endpoint.routeName)
            if !accepted.isEmpty { try await writer.ingest(accepted) }
        } catch {
            logger.error("segment request not stored", ["route": .string(endpoint.routeName), "error": .string(String(describing: error))])
            throw .unavailable
        }
        return .json(200, #"{"success":true}"#)
    }
}
