import Foundation
import HeraldCore
import HeraldDelivery

/// `POST /callbacks/twilio`: Twilio's message status callbacks. A callback is accepted only with a
/// valid `X-Twilio-Signature` under one of the configured auth tokens, computed over the public URL
/// Twilio called (`publicURL` + path + query, so it verifies behind a load balancer); anything else
/// is refused with 403 and counted (`herald_edge_callbacks_refused_total`). A valid callback
/// becomes Herald's own feedback (`EdgeStreamWriter.feedback`), tied to the delivery by the `u`,
/// `k` and `c` query parameters the SMS sender put on that message's `StatusCallback` URL.
public struct TwilioStatusCallback: Sendable {
    /// The route's path.
    public static let path = "/callbacks/twilio"
    /// The route's name in metrics and logs.
    public static let routeName = "callbacks.twilio"
    /// The `context.source` of the feedback events it writes.
    public static let source = "edge:twilio"

    /// The auth tokens a signature may be made with (more than one while a token is rotated).
    public var authTokens: [Secret]
    /// The scheme and host Twilio calls (`https://edge.example.com`), without a trailing path;
    /// `nil` to take them from `X-Forwarded-Proto` and `Host`.
    public var publicURL: String?
    private let writer: any EdgeStreamWriter
    private let metrics: Metrics
    private let logger: Logger
    private let clock: @Sendable () -> Date

    /// Creates the route.
    public init(
        authTokens: [Secret], publicURL: String?, writer: any EdgeStreamWriter, metrics: Metrics, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.authTokens = authTokens
        self.publicURL = publicURL
        self.writer = writer
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Adds `POST /callbacks/twilio`.
    public func register(in router: inout HTTPRouter) {
        router.add("POST", Self.path, name: Self.routeName) { await self.respond(to: $0) }
    }

    /// The full URL Twilio signed for `request`: the public base and the request target exactly as
    /// Twilio sent it (path and query string, encoded as the SMS sender built it).
    public static func signedURL(publicURL: String?, request: HTTPRequest) -> String {
        var base = publicURL ?? ((request.headers["X-Forwarded-Proto"] ?? "http") + "://" + (request.headers["Host"] ?? "localhost"))
        while base.hasSuffix("/") { base.removeLast() }
        return base + request.target
    }

    /// Checks, maps and writes one callback.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            return refuse(415, "expected application/x-www-form-urlencoded\n", reason: "content_type")
        }
        guard let parameters = HTTPFormEncoding.decodeStrictly(request.body) else {
            return refuse(400, "malformed form body\n", reason: "malformed")
        }
        guard let signature = request.headers["X-Twilio-Signature"], !signature.isEmpty else {
            return refuse(403, "missing X-Twilio-Signature\n", reason: "unsigned")
        }
        let url = Self.signedURL(publicURL: publicURL, request: request)
        guard TwilioSignature.isValid(signature: signature, authTokens: authTokens.map { $0.reveal() }, url: url, parameters: parameters) else {
            logger.warning("twilio callback refused: signature does not match", ["url": .string(request.path)])
            return refuse(403, "invalid X-Twilio-Signature\n", reason: "bad_signature")
        }
        let event: Event?
        do throws(TwilioStatusCallbackError) {
            event = try Self.event(parameters: parameters, query: request.query, at: clock())
        } catch {
            return refuse(400, error.description + "\n", reason: error.code)
        }
        guard let event else { return .text(200, "ignored: intermediate status\n") }
        do {
            try await writer.feedback([event])
        } catch {
            logger.error("twilio callback not written", ["error": .string("\(error)")])
            return .text(503, "try again later\n")
        }
        metrics.increment(.edgeFeedbackWritten, ["route": Self.routeName, "event": event.event ?? ""])
        return .text(200, "ok\n")
    }

    private func refuse(_ status: Int, _ text: String, reason: String) -> HTTPResponse {
        metrics.increment(.edgeCallbacksRefused, ["route": Self.routeName, "reason": reason])
        return .text(status, text)
    }
}
