import Testing

@testable import HeraldDelivery

@Suite("EmailProviders")
struct EmailProvidersTests {
    @Test("the outbox without HERALD_SMTP_HOST, SMTP with it")
    func choosesProvider() throws {
        #expect(try EmailProviders.make(environment: CredentialSource(environment: [:])).name == "outbox")
        let smtp = try EmailProviders.make(environment: CredentialSource(environment: [
            "HERALD_SMTP_HOST": "127.0.0.1", "HERALD_EMAIL_FROM": "news@example.com",
        ]))
        #expect(smtp.name == "smtp")
        #expect(throws: CredentialError.missing(name: "HERALD_EMAIL_FROM")) {
            try EmailProviders.make(environment: CredentialSource(environment: ["HERALD_SMTP_HOST": "127.0.0.1"]))
        }
    }
}
