import Foundation
import HeraldCore
import HeraldDelivery

extension ChannelProviders {
    /// The prefix of each real provider's own settings. A secondary of the same kind as the
    /// primary reads its settings with `SECONDARY_` after the prefix (`HERALD_WEBHOOK_SECONDARY_URL`,
    /// `HERALD_SMTP_SECONDARY_URL`, `HERALD_TWILIO_SECONDARY_AUTH_TOKEN` …) and none of the primary's.
    static let settingsPrefixes = [
        "smtp": "HERALD_SMTP_", "twilio": "HERALD_TWILIO_", "fcm": "HERALD_FCM_", "apns": "HERALD_APNS_", "webhook": "HERALD_WEBHOOK_",
    ]

    /// The provider `HERALD_<CHANNEL>_SECONDARY` names. One of the primary's own kind is a second
    /// account or endpoint, configured from its `…_SECONDARY_…` settings and named `<kind>-secondary`;
    /// a webhook secondary posts every message to `HERALD_WEBHOOK_SECONDARY_URL`, signed with
    /// `HERALD_WEBHOOK_SECONDARY_SECRET` (or `_FILE`).
    static func secondary(
        _ name: String, primary: any MessageProvider, _ channel: Channel, environment: [String: String], redis: RedisConfiguration,
        keyspace: Keyspace
    ) throws -> (provider: any MessageProvider, description: String) {
        let variable = "HERALD_\(channel.rawValue.uppercased())_SECONDARY"
        guard name == primary.name, let prefix = settingsPrefixes[name] else {
            return try named(name, variable: variable, channel, environment: environment, redis: redis, keyspace: keyspace)
        }
        let own = prefix + "SECONDARY_"
        // Its own settings under the primary's names, so the provider reads them as it always does;
        // the primary's are left out, so nothing of the primary's is used by mistake.
        var renamed = environment.filter { !$0.key.hasPrefix(prefix) }
        for (key, value) in environment where key.hasPrefix(own) { renamed[prefix + key.dropFirst(own.count)] = value }
        let built: (provider: any MessageProvider, description: String)
        do {
            if name == "webhook" {
                built = try webhookEndpoint(CredentialSource(environment: renamed), workers: try httpWorkers(environment))
            } else {
                built = try named(name, variable: variable, channel, environment: renamed, redis: redis, keyspace: keyspace)
            }
        } catch {
            // The provider named the setting it lacked under the primary's name; say the one to set.
            throw ChannelProviderError.secondarySettings(prefix: own, reason: "\(error)".replacingOccurrences(of: prefix, with: own))
        }
        return (RenamedProvider(base: built.provider, name: name + "-secondary"), "a second \(built.description) (\(own)*)")
    }

    /// A webhook provider that posts every message to `HERALD_WEBHOOK_URL` of `credentials` (the
    /// secondary's own URL, renamed).
    private static func webhookEndpoint(_ credentials: CredentialSource, workers: Int) throws -> (provider: any MessageProvider, description: String) {
        let url = credentials.value("HERALD_WEBHOOK_URL") ?? ""
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://"), !url.contains(where: \.isWhitespace) else {
            throw ChannelProviderError.invalidSetting(variable: "HERALD_WEBHOOK_URL", expected: "an http(s) URL")
        }
        var configuration = try WebhookProvider.Configuration(environment: credentials)
        configuration.endpoint = url
        return (try WebhookProvider(configuration: configuration, client: HTTPClient(workers: workers)), "signed webhooks to its own URL")
    }
}
