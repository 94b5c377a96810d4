/// Picks the email provider a sender runs with from its environment.
public enum EmailProviders {
    /// `SMTPEmailProvider` when a relay is configured (a non-empty `HERALD_SMTP_URL`/`_FILE`, or
    /// `HERALD_SMTP_HOST`; see `SMTPEmailProvider.Configuration.init(environment:)`), else the
    /// embedded `OutboxEmailProvider` writing to `HERALD_OUTBOX_DIR`.
    public static func make(environment: CredentialSource = CredentialSource()) throws(CredentialError) -> any MessageProvider {
        if try SMTPEmailProvider.Configuration.smtpURL(in: environment) != nil || environment.value("HERALD_SMTP_HOST") != nil {
            return SMTPEmailProvider(configuration: try SMTPEmailProvider.Configuration(environment: environment))
        }
        return OutboxEmailProvider(configuration: OutboxEmailProvider.Configuration(environment: environment))
    }
}
