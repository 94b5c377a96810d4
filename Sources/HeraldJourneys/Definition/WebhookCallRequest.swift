import Foundation
import HeraldCore
import HeraldTemplates

/// The HTTP request a `callWebhook` step's send request asks for, rendered from its inline
/// templates (`context.call`) against the send context, the user's current profile and `userId`.
/// The webhook sender calls it; `heraldctl simulate --render` shows it.
public struct WebhookCallRequest: Sendable, Hashable {
    /// `POST`, `PUT`, `PATCH` or `DELETE`.
    public var method: String
    /// The rendered URL, http(s).
    public var url: String
    /// The step's own headers, rendered, sorted by name.
    public var headers: [(String, String)]
    /// The rendered JSON body.
    public var body: JSONValue

    /// Renders the call carried by `request`; `profile` replaces the context's (the sender's is newer).
    public init(request: SendRequest, profile: [String: JSONValue]) throws(WebhookCallError) {
        guard let spec = request.context["call"].flatMap(CallWebhookStep.init(json:)) else { throw .notACall(key: request.idempotencyKey) }
        var context = request.context
        context["call"] = nil
        context["profile"] = .object(profile)
        context["userId"] = .string(request.userId)
        let root = JSONValue.object(context)
        let label = "\(request.journey)/\(request.step)"
        do throws(TemplateError) {
            url = try JSONTemplate.renderText(spec.url, context: root, name: "\(label) url").trimmingCharacters(in: .whitespaces)
            var rendered: [(String, String)] = []
            for (name, value) in (spec.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                rendered.append((name, try JSONTemplate.renderText(value, context: root, name: "\(label) header \(name)")))
            }
            headers = rendered
            if let template = spec.body {
                body = try JSONTemplate(template.value, name: "\(label) body").render(root)
            } else {
                body = ["userId": .string(request.userId), "journey": .string(request.journey), "step": .string(request.step)]
            }
        } catch {
            throw .template(error.description)
        }
        method = spec.resolvedMethod
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://"), url.count > 8, !url.contains(where: \.isWhitespace) else {
            throw .badURL(url)
        }
        for (_, value) in headers where value.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw .template("a rendered header value holds a line break")
        }
    }

    /// Field by field: headers compare as ordered pairs.
    public static func == (lhs: WebhookCallRequest, rhs: WebhookCallRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { [$0.0, $0.1] } == rhs.headers.map { [$0.0, $0.1] }
    }

    /// Hashes the method, URL and body.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(body)
    }
}
