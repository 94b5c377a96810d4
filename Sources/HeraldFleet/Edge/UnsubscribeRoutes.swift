import Foundation
import HeraldCore
import HeraldDelivery

/// The unsubscribe link every marketing message carries (`List-Unsubscribe`, RFC 8058), on the
/// path of `HERALD_UNSUBSCRIBE_URL` with the signed token in `?token=`:
///
/// - `POST` with `List-Unsubscribe=One-Click` (what Gmail and Yahoo send): verifies the token and
///   ingests the `Unsubscribed` event; `200`, no redirect, no page.
/// - `GET`: a page in the person's language where they confirm with one button or choose per
///   channel and category what they still receive. It changes nothing (mail scanners follow links).
/// - `POST` from that page's forms: the unsubscribe, or the boxes as `Subscribed` and
///   `Unsubscribed` events; then a confirmation page.
///
/// A malformed or forged token is refused with `403`, an expired one with `410`, and nothing is
/// written. Every event goes through the ingest path, so the evaluator applies it to the
/// suppression record as it does a producer's.
public struct UnsubscribeRoutes: Sendable {
    /// Verifies tokens (every key, for rotation).
    public var signer: UnsubscribeSigner
    /// The link's path (`/unsubscribe`).
    public var path: String
    /// Tokens older than this are refused.
    public var maxAge: TimeInterval
    /// Where the events go.
    public var writer: any EdgeStreamWriter
    /// Where the page reads what the person still receives.
    public var reader: any EdgePreferenceReader
    /// Counts what was recorded.
    public var metrics: Metrics
    /// Logs refusals (never the token).
    public var logger: Logger
    /// The clock, for token age and event times.
    public var now: @Sendable () -> Date

    /// Creates the routes.
    public init(
        signer: UnsubscribeSigner, path: String = "/unsubscribe", maxAge: TimeInterval = 180 * 86_400, writer: any EdgeStreamWriter,
        reader: any EdgePreferenceReader, metrics: Metrics, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.signer = signer
        self.path = path
        self.maxAge = maxAge
        self.writer = writer
        self.reader = reader
        self.metrics = metrics
        self.logger = logger
        self.now = now
        metrics.register([.edgeUnsubscribes])
    }

    /// Adds `GET` and `POST` on the link's path.
    public func register(in router: inout HTTPRouter) {
        router.add("GET", path, name: "unsubscribe.page") { request in await page(request) }
        router.add("POST", path, name: "unsubscribe.post") { request in await post(request) }
    }

    // MARK: - GET

    func page(_ request: HTTPRequest) async -> HTTPResponse {
        let view = PreferencePage(
            locale: PreferenceLocale.choose(lang: request.queryValue("lang"), acceptLanguage: request.headers["Accept-Language"]),
            action: request.target)
        let token: UnsubscribeToken
        switch verify(request) {
        case .success(let verified): token = verified
        case .failure(let refusal): return refusal.page(view)
        }
        let kept: Set<PreferenceChoice>?
        do {
            kept = PreferenceChoice.kept(by: try await reader.suppressions(ofUser: token.userId))
        } catch {
            logger.warning("preferences unreadable: the page shows the default", ["error": .string("\(error)")])
            kept = nil
        }
        return Self.html(200, view.choices(channel: token.channel, category: token.category, kept: kept))
    }

    // MARK: - POST

    func post(_ request: HTTPRequest) async -> HTTPResponse {
        let view = PreferencePage(
            locale: PreferenceLocale.choose(lang: request.queryValue("lang"), acceptLanguage: request.headers["Accept-Language"]),
            action: request.target)
        guard let fields = Self.formFields(of: request) else {
            return .text(request.mediaType.map(Self.formTypes.contains) == true ? 400 : 415,
                "expected an application/x-www-form-urlencoded or multipart/form-data body\n")
        }
        let token: UnsubscribeToken
        switch verify(request) {
        case .success(let verified): token = verified
        case .failure(let refusal): return fields.contains { $0.name == "List-Unsubscribe" } ? refusal.text : refusal.page(view)
        }
        let at = now()
        if fields.contains(where: { $0.name == "List-Unsubscribe" && $0.value == "One-Click" }) {
            guard await record([token.event(messageId: Self.oneClickMessageID(request), at: at)], via: "one-click") else {
                return .text(503, "could not record the unsubscribe now; nothing changed, please retry\n")
            }
            return .text(200, "unsubscribed\n")
        }
        switch fields.first(where: { $0.name == "action" })?.value {
        case "unsubscribe"?:
            guard await record([token.event(messageId: Self.oneClickMessageID(request), at: at)], via: "page") else {
                return Self.html(503, view.refusal(title: view.locale.unavailableTitle, text: view.locale.unavailableText))
            }
            return Self.html(200, view.unsubscribed(channel: token.channel, category: token.category))
        case "save"?:
            let kept = Set(fields.filter { $0.name == "keep" }.compactMap { PreferenceChoice(formValue: $0.value) })
            guard await record(Self.events(keeping: kept, user: token.userId, at: at), via: "preferences") else {
                return Self.html(503, view.refusal(title: view.locale.unavailableTitle, text: view.locale.unavailableText))
            }
            return Self.html(200, view.saved(kept: kept))
        default:
            return .text(400, "expected List-Unsubscribe=One-Click, or action=unsubscribe or action=save\n")
        }
    }

    /// The events that leave exactly `kept` on: per channel, every unsubscribe lifted, then one
    /// for each box left unchecked (applied in this order: one user's events keep theirs).
    public static func events(keeping kept: Set<PreferenceChoice>, user: String, at: Date) -> [Event] {
        let batch = UUID().uuidString.lowercased()
        var events: [Event] = []
        for channel in PreferenceLocale.channels {
            events.append(Event(
                type: .track, messageId: "preferences-\(batch)-\(events.count)", userId: user, event: FeedbackEvents.subscribed,
                properties: ["channel": .string(channel.rawValue), "category": "all", "source": "preference-page"], timestamp: at))
            for category in MessageCategory.allCases where !kept.contains(PreferenceChoice(channel: channel, category: category)) {
                events.append(Event(
                    type: .track, messageId: "preferences-\(batch)-\(events.count)", userId: user, event: FeedbackEvents.unsubscribed,
                    properties: ["channel": .string(channel.rawValue), "category": .string(category.rawValue), "source": "preference-page"],
                    timestamp: at))
            }
        }
        return events
    }

    // MARK: - Parts

    /// Why a token was refused, and how to say so.
    enum Refusal: Error {
        case missing, invalid, expired

        var text: HTTPResponse {
            switch self {
            case .missing: return .text(400, "the link has no token; nothing changed\n")
            case .invalid: return .text(403, "the link's token does not verify; nothing changed\n")
            case .expired: return .text(410, "the link has expired; nothing changed\n")
            }
        }

        func page(_ view: PreferencePage) -> HTTPResponse {
            switch self {
            case .missing: return UnsubscribeRoutes.html(400, view.refusal(title: view.locale.invalidTitle, text: view.locale.invalidText))
            case .invalid: return UnsubscribeRoutes.html(403, view.refusal(title: view.locale.invalidTitle, text: view.locale.invalidText))
            case .expired: return UnsubscribeRoutes.html(410, view.refusal(title: view.locale.expiredTitle, text: view.locale.expiredText))
            }
        }
    }

    private func verify(_ request: HTTPRequest) -> Result<UnsubscribeToken, Refusal> {
        guard let text = request.queryValue("token"), !text.isEmpty else { return .failure(.missing) }
        do {
            return .success(try signer.verify(text, now: now(), maxAge: maxAge))
        } catch {
            let refusal: Refusal
            if case .expired = error { refusal = .expired } else { refusal = .invalid }
            metrics.increment(.edgeUnsubscribes, ["via": "refused"])
            logger.info("unsubscribe token refused", ["reason": .string(error.description), "client": .string(request.remoteAddress)])
            return .failure(refusal)
        }
    }

    private func record(_ events: [Event], via: String) async -> Bool {
        do {
            try await writer.ingest(events.map { Array($0.json.serialized().utf8) })
            metrics.increment(.edgeUnsubscribes, ["via": via])
            return true
        } catch {
            logger.warning("unsubscribe not recorded", ["via": .string(via), "error": .string("\(error)")])
            return false
        }
    }

    /// The one-click event's id: the same for every POST of one link, so a mail provider's retry
    /// is deduplicated by the ingestor.
    static func oneClickMessageID(_ request: HTTPRequest) -> String {
        // The token's MAC: unique per link and already verified.
        "unsubscribe-" + (request.queryValue("token")?.split(separator: ".").last.map(String.init) ?? "")
    }

    static let formTypes: Set<String> = ["application/x-www-form-urlencoded", "multipart/form-data"]

    static func formFields(of request: HTTPRequest) -> [(name: String, value: String)]? {
        switch request.mediaType {
        case "application/x-www-form-urlencoded"?: return HTTPFormEncoding.decodeStrictly(request.body)
        case "multipart/form-data"?: return request.headers["Content-Type"].flatMap { HTTPMultipartForm.fields(request.body, contentType: $0) }
        default: return nil
        }
    }

    static func html(_ status: Int, _ body: String) -> HTTPResponse {
        var response = HTTPResponse.html(status, body)
        // The token is in the URL: never cached, never sent on as a referrer, never framed.
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        response.headers.set("X-Frame-Options", "DENY")
        response.headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
        return response
    }
}
