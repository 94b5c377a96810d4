import Foundation
import HeraldCore
import HeraldDelivery

/// Chooses each channel's provider from the environment: a real one when its credentials are set,
/// else the embedded default (the outbox directory; the Redis inbox for in-app). `HERALD_<CHANNEL>_PROVIDER=sink`
/// selects the counting sink for benchmarks.
public enum ChannelProviders {
    /// The provider for `channel`, and a sentence saying which one it is (for the start-up log).
    public static func make(
        _ channel: Channel, environment: [String: String], redis: RedisConfiguration, keyspace: Keyspace
    ) throws -> (provider: any MessageProvider, description: String) {
        let credentials = CredentialSource(environment: environment)
        let outbox = URL(fileURLWithPath: environment["HERALD_OUTBOX_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".herald/outbox")
        if environment["HERALD_\(channel.rawValue.uppercased())_PROVIDER"] == "sink" {
            return (CountingSinkProvider(), "counting sink (benchmark)")
        }
        switch channel {
        case .email:
            let provider = try EmailProviders.make(environment: credentials)
            return (provider, provider.name == "outbox" ? "outbox directory \(outbox.path)" : "SMTP relay")
        case .sms:
            guard credentials.value("HERALD_TWILIO_ACCOUNT_SID") != nil || credentials.value("HERALD_TWILIO_ACCOUNT_SID_FILE") != nil else {
                return (OutboxFileProvider(directory: outbox, channel: .sms), "outbox directory \(outbox.path)/sms")
            }
            return (TwilioSMSProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: 4)), "Twilio")
        case .push:
            if credentials.value("HERALD_FCM_CREDENTIALS") != nil || credentials.value("HERALD_FCM_CREDENTIALS_FILE") != nil {
                return (try FCMProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: 4)), "FCM")
            }
            if credentials.value("HERALD_APNS_KEY_ID") != nil {
                return (try APNsProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: 4)), "APNs")
            }
            return (OutboxFileProvider(directory: outbox, channel: .push), "outbox directory \(outbox.path)/push")
        case .webhook:
            guard credentials.value("HERALD_WEBHOOK_SECRET") != nil || credentials.value("HERALD_WEBHOOK_SECRET_FILE") != nil else {
                return (OutboxFileProvider(directory: outbox, channel: .webhook), "outbox directory \(outbox.path)/webhook")
            }
            return (try WebhookProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: 4)), "signed webhooks")
        case .inapp:
            return (InAppInboxProvider(redis: redis, keyspace: keyspace), "Redis inbox")
        }
    }
}
