import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys
import HeraldTemplates

extension SenderHandler {
    /// The address for the request's channel, from the profile.
    func recipient(for job: Job) -> String? {
        let profile = job.profile
        func text(_ key: String) -> String? {
            guard let value = profile[key]?.stringValue, !value.isEmpty else { return nil }
            return value
        }
        switch job.request.channel {
        case .email:
            return text("email")
        case .sms:
            guard let phone = text("phone") else { return nil }
            return text("smsChannel") == "whatsapp" ? "whatsapp:" + phone : phone
        case .push:
            if let tokens = profile["pushTokens"]?.arrayValue, let first = tokens.compactMap(\.stringValue).first { return first }
            return text("pushToken") ?? text("deviceToken")
        case .webhook:
            return text("webhookUrl") ?? configuration.webhookURL
        case .inapp:
            return job.request.userId
        }
    }

    /// Renders the request's template for the user's locale into a provider-ready message.
    func render(_ job: Job, now: Date) throws -> OutboundMessage {
        let request = job.request
        // A journey's callWebhook step: its own request, inline, instead of a named template.
        if request.channel == .webhook, request.context["call"] != nil {
            let call = try WebhookCallRequest(request: request, profile: job.profile)
            let receivedAt = request.context["event"]?["receivedAt"]?.stringValue.flatMap(ISO8601.parse)
            return OutboundMessage(
                channel: .webhook, idempotencyKey: request.idempotencyKey, userId: request.userId, recipient: call.url,
                headers: Dictionary(call.headers, uniquingKeysWith: { _, last in last }), payload: call.body, category: request.category,
                eventReceivedAt: receivedAt, method: call.method)
        }
        let locale = job.profile["locale"]?.stringValue ?? request.context["event"]?.value(atPath: "context.locale")?.stringValue
        let template = try configuration.templates.message(named: request.template, locale: locale)
        let missing = template.missingParts(for: request.channel)
        if !missing.isEmpty {
            throw SenderError.templateIncomplete(template: request.template, channel: request.channel, missing: missing)
        }
        var context = request.context
        context["profile"] = .object(job.profile)
        context["userId"] = .string(request.userId)
        context["channel"] = .string(request.channel.rawValue)
        context["brand"] = .object(["name": .string(configuration.brandName)])
        var headers: [String: String] = [:]
        if request.category == .marketing {
            let token = UnsubscribeToken(userId: request.userId, channel: request.channel, category: .marketing, issuedAt: now)
            let separator = configuration.unsubscribeBaseURL.contains("?") ? "&" : "?"
            let base = configuration.unsubscribeBaseURL + separator + "token="
            let signed = configuration.unsubscribe.sign(token)
            context["unsubscribeUrl"] = .string(base + signed)
            if request.channel == .email {
                headers = UnsubscribeSigner.listUnsubscribeHeaders(signed: signed, baseURL: base)
            }
        }
        let rendered = try template.render(.object(context))
        let receivedAt = request.context["event"]?["receivedAt"]?.stringValue.flatMap(ISO8601.parse)
        var message = OutboundMessage(
            channel: request.channel, idempotencyKey: request.idempotencyKey, userId: request.userId,
            recipient: job.recipient ?? request.userId, headers: headers, category: request.category, eventReceivedAt: receivedAt)
        switch request.channel {
        case .email:
            message.subject = rendered.subject
            message.text = rendered.text
            message.html = rendered.html.map { trackedHTML($0, request: request) }
        case .sms:
            message.text = rendered.body ?? rendered.text
        case .push, .inapp:
            message.subject = rendered.title ?? rendered.subject
            message.text = rendered.body ?? rendered.text
            message.payload = .object(["journey": .string(request.journey), "step": .string(request.step)])
        case .webhook:
            let body = rendered.body.flatMap { try? JSONValue.parse($0) }
            message.payload = .object([
                "type": "herald.message", "userId": .string(request.userId), "journey": .string(request.journey),
                "step": .string(request.step), "data": body ?? .string(rendered.body ?? rendered.text ?? ""),
            ])
        }
        return message
    }

    /// `html` with its links and open pixel rewritten when the send step opted in and the sender
    /// has tracking configured; otherwise as rendered.
    func trackedHTML(_ html: String, request: SendRequest) -> String {
        guard let tracking = configuration.tracking, let options = request.context["tracking"] else { return html }
        let clicks = options["clicks"]?.boolValue == true, opens = options["opens"]?.boolValue == true
        guard clicks || opens else { return html }
        return tracking.rewrite(
            html: html, userId: request.userId, messageKey: request.idempotencyKey, journey: request.journey, template: request.template,
            clicks: clicks, opens: opens)
    }
}
