import Foundation
import HeraldCore
import HeraldDelivery

/// `POST /callbacks/feedback`: a Standard-Webhooks-signed endpoint for email (and SMS) providers'
/// bounce, complaint and status webhooks, or an adapter in front of them. A request is accepted
/// only when `StandardWebhookVerifier` verifies it; anything else is refused with 403 and counted
/// (`herald_edge_callbacks_refused_total`). Its events become Herald's own feedback
/// (`EdgeStreamWriter.feedback`); the payload is documented in docs/edge.md.
public struct FeedbackWebhook: Sendable {
    /// The route's path.
    public static let path = "/callbacks/feedback"
    /// The route's name in metrics and logs.
    public static let routeName = "callbacks.feedback"
    /// The `context.source` of the feedback events it writes.
    public static let source = "edge:feedback"
    /// The most events one request may carry.
    public static let maximumEvents = 100

    private let verifier: StandardWebhookVerifier
    private let writer: any EdgeStreamWriter
    private let metrics: Metrics
    private let logger: Logger
    private let clock: @Sendable () -> Date

    /// Creates the route.
    public init(
        verifier: StandardWebhookVerifier, writer: any EdgeStreamWriter, metrics: Metrics, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.verifier = verifier
        self.writer = writer
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Adds `POST /callbacks/feedback`.
    public func register(in router: inout HTTPRouter) {
        router.add("POST", Self.path, name: Self.routeName) { await self.respond(to: $0) }
    }

    /// Verifies, maps and writes one request.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let now = clock()
        let events: [Event]
        do throws(FeedbackWebhookError) {
            try verifier.verify(
                id: request.headers["webhook-id"], timestamp: request.headers["webhook-timestamp"],
                signature: request.headers["webhook-signature"], body: request.body, now: now)
            guard request.mediaType == "application/json" else {
                metrics.increment(.edgeCallbacksRefused, ["route": Self.routeName, "reason": "content_type"])
                return Self.error(415, "expected application/json")
            }
            events = try Self.events(body: request.body, webhookId: request.headers["webhook-id"] ?? "", now: now)
        } catch {
            metrics.increment(.edgeCallbacksRefused, ["route": Self.routeName, "reason": error.code])
            if error.isAuthentication { logger.warning("feedback webhook refused", ["error": .string(error.description)]) }
            return Self.error(error.isAuthentication ? 403 : 400, error.description)
        }
        do {
            try await writer.feedback(events)
        } catch {
            logger.error("feedback webhook not written", ["error": .string("\(error)")])
            return Self.error(503, "try again later")
        }
        for event in events { metrics.increment(.edgeFeedbackWritten, ["route": Self.routeName, "event": event.event ?? ""]) }
        let ids = JSONValue.array(events.map { .string($0.messageId) }).serialized()
        return .json(200, #"{"accepted":\#(events.count),"messageIds":\#(ids)}"#)
    }

    private static func error(_ status: Int, _ message: String) -> HTTPResponse {
        .json(status, JSONValue.object(["error": .string(message)]).serialized())
    }
}
