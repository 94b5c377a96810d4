extension ConfigurationCatalogue {
    /// Provider credentials and settings (docs/delivery.md, docs/providers.md). Each setting under
    /// a provider prefix has a `SECONDARY_` form for a secondary provider of the primary's kind.
    static let providerVariables: [ConfigurationVariable] = {
        let email: Set<HeraldExecutable> = [.emailSender], sms: Set<HeraldExecutable> = [.smsSender]
        let push: Set<HeraldExecutable> = [.pushSender], webhook: Set<HeraldExecutable> = [.webhookSender]
        let web = ConfigurationKind.url(schemes: ["http", "https"])
        let secret: ConfigurationForms = [.file, .secondary]
        return [
            ConfigurationVariable(
                "HERALD_OUTBOX_DIR", .providers, processes: HeraldExecutable.senders, kind: .path, default: ".herald/outbox",
                "the outbox provider's directory: one .eml per email, <channel>/ files for the others"),
            ConfigurationVariable(
                "HERALD_EMAIL_FROM", .providers, processes: email, kind: .text, default: "herald@localhost (outbox); required with a relay",
                "the sender address"),
            ConfigurationVariable("HERALD_EMAIL_FROM_NAME", .providers, processes: email, kind: .text, default: "unset", "the sender's display name"),
            ConfigurationVariable(
                "HERALD_SMTP_URL", .providers, processes: email, kind: .secret, default: "unset (outbox)", forms: secret,
                "the relay: smtps://user:password@host:465 or smtp://…:587 (STARTTLS; ?tls=none, ?helo=name)"),
            ConfigurationVariable(
                "HERALD_SMTP_HOST", .providers, processes: email, kind: .text, default: "unset", forms: .secondary,
                "the relay as separate variables, used when there is no URL"),
            ConfigurationVariable(
                "HERALD_SMTP_PORT", .providers, processes: email, kind: .integer(1...65535, unit: "port"), default: "587", forms: .secondary,
                "the relay's port (with HERALD_SMTP_HOST)"),
            ConfigurationVariable(
                "HERALD_SMTP_SECURITY", .providers, processes: email, kind: .choice(["none", "startTLS", "implicitTLS"]), default: "startTLS",
                forms: .secondary, "TLS to the relay (with HERALD_SMTP_HOST)"),
            ConfigurationVariable(
                "HERALD_SMTP_USERNAME", .providers, processes: email, kind: .text, default: "unset", forms: .secondary, "the relay's user (with HERALD_SMTP_HOST)"),
            ConfigurationVariable(
                "HERALD_SMTP_PASSWORD", .providers, processes: email, kind: .secret, default: "unset", forms: secret,
                "the relay's password (with HERALD_SMTP_HOST)"),
            ConfigurationVariable(
                "HERALD_SMTP_CA_FILE", .providers, processes: email, kind: .path, default: "the system's", forms: .secondary, "PEM CAs to trust"),
            ConfigurationVariable(
                "HERALD_SMTP_TIMEOUT_MS", .providers, processes: email, kind: .milliseconds(1...Int.max), default: "30000", forms: .secondary,
                "whole-session timeout; the claim lease is derived from it"),
            ConfigurationVariable(
                "HERALD_TWILIO_ACCOUNT_SID", .providers, processes: sms, kind: .secret, default: "unset (outbox)", forms: secret,
                "the Twilio account; selects the twilio provider"),
            ConfigurationVariable(
                "HERALD_TWILIO_AUTH_TOKEN", .providers, processes: sms.union([.edge]), kind: .secret, default: "unset", forms: secret,
                "the account's auth token (or an API key's secret); the edge verifies callbacks with it unless HERALD_EDGE_TWILIO_AUTH_TOKEN is set"),
            ConfigurationVariable(
                "HERALD_TWILIO_API_KEY_SID", .providers, processes: sms, kind: .text, default: "unset", forms: .secondary,
                "authenticate with an API key instead of the account token"),
            ConfigurationVariable(
                "HERALD_TWILIO_FROM", .providers, processes: sms, kind: .text, default: "unset", forms: .secondary,
                "the E.164 sender (this or a messaging service is required)"),
            ConfigurationVariable(
                "HERALD_TWILIO_MESSAGING_SERVICE_SID", .providers, processes: sms, kind: .text, default: "unset", forms: .secondary,
                "a messaging service as the sender"),
            ConfigurationVariable(
                "HERALD_TWILIO_WHATSAPP_FROM", .providers, processes: sms, kind: .text, default: "whatsapp: + HERALD_TWILIO_FROM", forms: .secondary,
                "the WhatsApp sender"),
            ConfigurationVariable(
                "HERALD_TWILIO_STATUS_CALLBACK", .providers, processes: sms, kind: web, default: "unset", forms: .secondary,
                "Twilio's status-callback URL: the edge's …/callbacks/twilio"),
            ConfigurationVariable(
                "HERALD_TWILIO_BASE_URL", .providers, processes: sms, kind: web, default: "https://api.twilio.com", forms: .secondary,
                "the API's base (tests point it at a local peer)"),
            ConfigurationVariable(
                "HERALD_FCM_CREDENTIALS", .providers, processes: push, kind: .secret, default: "unset", forms: secret,
                "FCM's service-account JSON; selects the fcm provider"),
            ConfigurationVariable(
                "HERALD_FCM_BASE_URL", .providers, processes: push, kind: web, default: "https://fcm.googleapis.com", forms: .secondary, "FCM's base URL"),
            ConfigurationVariable("HERALD_APNS_KEY", .providers, processes: push, kind: .secret, default: "unset", forms: secret, "the APNs .p8 signing key"),
            ConfigurationVariable(
                "HERALD_APNS_KEY_ID", .providers, processes: push, kind: .text, default: "unset", forms: .secondary,
                "the key's id; selects the apns provider (with the team and topic)"),
            ConfigurationVariable("HERALD_APNS_TEAM_ID", .providers, processes: push, kind: .text, default: "unset", forms: .secondary, "the Apple team"),
            ConfigurationVariable("HERALD_APNS_TOPIC", .providers, processes: push, kind: .text, default: "unset", forms: .secondary, "the app's bundle id"),
            ConfigurationVariable(
                "HERALD_APNS_ENVIRONMENT", .providers, processes: push, kind: .choice(["production", "sandbox"]), default: "production",
                forms: .secondary, "which APNs host"),
            ConfigurationVariable(
                "HERALD_WEBHOOK_SECRET", .providers, processes: webhook, kind: .secret, default: "unset (outbox)", forms: secret,
                "the Standard Webhooks signing secret whsec_<base64>; selects the webhook provider"),
            ConfigurationVariable(
                "HERALD_WEBHOOK_URL", .providers, processes: webhook, kind: web, default: "unset", forms: .secondary,
                "the endpoint for users whose profile has no webhookUrl trait"),
        ]
    }()
}
