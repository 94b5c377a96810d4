import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

/// Secrets declared with a `_FILE` form in the variable table: the start-up check accepts the
/// form without reading or printing it, and the provider reads the file's value.
@Suite struct ConfiguredSecretTests {
    @Test func aSecretsFileFormPassesTheStartUpCheckAndIsReadFromTheFile() throws {
        let directory = try PeerProcess.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("webhook_signing_secret")
        let value = "whsec_" + Data("a-signing-secret-of-32-bytes-abc".utf8).base64EncodedString()
        try (value + "\n").write(to: file, atomically: true, encoding: .utf8)
        let environment = ["HERALD_WEBHOOK_SECRET_FILE": file.path, "HERALD_SMTP_PASSWORD_FILE": file.path]
        try ConfigurationCatalogue.herald.validate(environment)
        let variable = try #require(ConfigurationCatalogue.herald.resolve("HERALD_WEBHOOK_SECRET_FILE"))
        #expect(variable.variable.name == "HERALD_WEBHOOK_SECRET" && !variable.direct && variable.variable.forms.contains(.file))
        #expect(try CredentialSource(environment: environment).secret("HERALD_WEBHOOK_SECRET").reveal() == value)
        // A variable without a _FILE form has none: a typo of the form is unknown.
        #expect(throws: FleetConfigurationError.unknown(variable: "HERALD_SMTP_HOST_FILE", suggestion: "HERALD_SMTP_CA_FILE")) {
            try ConfigurationCatalogue.herald.validate(["HERALD_SMTP_HOST_FILE": file.path])
        }
    }

    @Test func providerSettingsAreParsedAsTheTableTypesThem() throws {
        // Once a bad port fell back to 587 and a misspelt security to STARTTLS, silently.
        #expect(throws: CredentialError.malformed(name: "HERALD_SMTP_PORT", reason: "expected an integer from 1 to 65535 (port), not 'smtp'")) {
            try SMTPEmailProvider.Configuration(environment: CredentialSource(environment: [
                "HERALD_EMAIL_FROM": "shop@herald.test", "HERALD_SMTP_HOST": "mail.example.com", "HERALD_SMTP_PORT": "smtp",
            ]))
        }
        let configuration = try SMTPEmailProvider.Configuration(environment: CredentialSource(environment: [
            "HERALD_EMAIL_FROM": "shop@herald.test", "HERALD_SMTP_HOST": "mail.example.com", "HERALD_SMTP_PORT": "465", "HERALD_SMTP_SECURITY": "implicittls",
        ]))
        #expect(configuration.port == 465 && configuration.security == .implicitTLS)
        #expect(throws: CredentialError.self) {
            try SMTPEmailProvider.Configuration(environment: CredentialSource(environment: [
                "HERALD_EMAIL_FROM": "shop@herald.test", "HERALD_SMTP_HOST": "mail.example.com", "HERALD_SMTP_SECURITY": "tls",
            ]))
        }
    }
}
