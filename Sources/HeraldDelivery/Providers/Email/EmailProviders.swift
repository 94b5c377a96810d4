/// Picks the email provider a sender runs with from its environment.
public enum EmailProviders {
    /// `SMTPEmailProvider` when `HERALD_SMTP_HOST` is set (see `SMTPEmailProvider.Configuration.init(environment:)`),
    /// else the embedded `OutboxEmailProvider` writing to `HERALD_OUTBOX_DIR`.
    public static func make(environment: CredentialSource = CredentialSource()) throws(CredentialError) -> any MessageProvider {
        if environment.value("HERALD_SMTP_HOST") != nil {
            return SMTPEmailProvider(configuration: try SMTPEmailProvider.Configuration(environment: environment))
        }
        return OutboxEmailProvider(configuration: OutboxEmailProvider.Configuration(environment: environment))
    }
}
