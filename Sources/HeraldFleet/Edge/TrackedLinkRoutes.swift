import Foundation
import HeraldCore
import HeraldDelivery

/// `GET /c/<token>` and `GET /o/<token>.gif`: the email's tracked links and open pixel. A click
/// redirects (302) to the link's original URL only when the token's signature verifies; an
/// unsigned, altered or truncated token gets a 403 page and no redirect, so the edge is never an
/// open redirect. Each verified request writes `Message Clicked` (with `url`) or `Message Opened`
/// as Herald's own feedback; a `HEAD` (link checkers) writes nothing. The redirect and the pixel
/// are answered even when Redis cannot take the event, which is then logged and counted lost.
public struct TrackedLinkRoutes: Sendable {
    /// The click route's path prefix.
    public static let clickPrefix = "/c/"
    /// The open pixel's path prefix.
    public static let openPrefix = "/o/"
    /// The `context.source` of the feedback events it writes.
    public static let source = "edge:tracking"
    /// A transparent 1×1 GIF (GIF89a, one palette entry, transparent).
    public static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    private let signer: TrackedLinkSigner
    private let writer: any EdgeStreamWriter
    private let metrics: Metrics
    private let logger: Logger
    private let clock: @Sendable () -> Date

    /// Creates the routes.
    public init(
        signer: TrackedLinkSigner, writer: any EdgeStreamWriter, metrics: Metrics, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.signer = signer
        self.writer = writer
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Adds `GET /c/…` (`links.click`) and `GET /o/…` (`links.open`).
    public func register(in router: inout HTTPRouter) {
        router.add("GET", prefix: Self.clickPrefix, name: "links.click") { await self.click($0) }
        router.add("GET", prefix: Self.openPrefix, name: "links.open") { await self.open($0) }
    }

    /// The feedback event a verified link reports.
    public static func event(for link: TrackedLink, id: String, at: Date) -> Event {
        var properties: [String: JSONValue] = [
            "messageId": .string(link.messageKey), "channel": .string(Channel.email.rawValue),
            "journey": .string(link.journey), "template": .string(link.template),
        ]
        if let url = link.url { properties["url"] = .string(url) }
        return Event(
            type: .track, messageId: id, userId: link.userId,
            event: link.kind == .click ? DeliveryFeedback.messageClicked : DeliveryFeedback.messageOpened,
            properties: properties, timestamp: at, context: ["source": .string(source)])
    }

    /// Answers a click.
    func click(_ request: HTTPRequest) async -> HTTPResponse {
        let token = String(request.path.dropFirst(Self.clickPrefix.count))
        guard let link = signer.verify(token), link.kind == .click, let url = link.url, Self.isRedirectable(url) else {
            metrics.increment(.edgeCallbacksRefused, ["route": "links.click", "reason": "bad_signature"])
            return Self.refusal
        }
        if request.method != "HEAD" { await record(link, route: "links.click") }
        var response = HTTPResponse(status: 302)
        response.headers.set("Location", url)
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }

    /// Answers an open pixel.
    func open(_ request: HTTPRequest) async -> HTTPResponse {
        var token = String(request.path.dropFirst(Self.openPrefix.count))
        guard token.hasSuffix(".gif") else {
            metrics.increment(.edgeCallbacksRefused, ["route": "links.open", "reason": "malformed"])
            return .text(404, "not found\n")
        }
        token.removeLast(4)
        guard let link = signer.verify(token), link.kind == .open else {
            metrics.increment(.edgeCallbacksRefused, ["route": "links.open", "reason": "bad_signature"])
            return Self.refusal
        }
        if request.method != "HEAD" { await record(link, route: "links.open") }
        return HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "image/gif"), ("Cache-Control", "no-store, private")]), body: Self.pixel)
    }

    /// Whether a signed URL may be redirected to: absolute http or https only (defence in depth;
    /// the sender never signs anything else).
    static func isRedirectable(_ url: String) -> Bool {
        let lowered = url.lowercased()
        return (lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) && !url.contains(where: { $0 == "\r" || $0 == "\n" })
    }

    private static let refusal = HTTPResponse.html(
        403, "<!doctype html><title>Link not valid</title><p>This link is not valid. It may have been altered or copied incompletely.</p>\n")

    private func record(_ link: TrackedLink, route: String) async {
        let event = Self.event(for: link, id: "edge-\(link.kind == .click ? "click" : "open")-\(UUID().uuidString.lowercased())", at: clock())
        do {
            try await writer.feedback([event])
            metrics.increment(.edgeFeedbackWritten, ["route": route, "event": event.event ?? ""])
        } catch {
            // The person still gets their page or image; the event is logged and counted lost.
            logger.error("tracked link event not written", ["route": .string(route), "error": .string("\(error)")])
            metrics.increment(.edgeCallbacksRefused, ["route": route, "reason": "not_written"])
        }
    }
}
