import HeraldDelivery
import Testing

/// The outcome and reply class of provider calls, as `herald_provider_calls_total` labels them.
struct ProviderCallOutcomeTests {
    @Test func successesTakeTheirTransportsClass() {
        #expect(ProviderCallOutcome.of(nil, transport: .of(providerNamed: "twilio")) == ProviderCallOutcome(outcome: "sent", codeClass: "http_2xx"))
        #expect(ProviderCallOutcome.of(nil, transport: .of(providerNamed: "webhook-secondary")).codeClass == "http_2xx")
        #expect(ProviderCallOutcome.of(nil, transport: .of(providerNamed: "smtp")).codeClass == "smtp_2xx")
        #expect(ProviderCallOutcome.of(nil, transport: .of(providerNamed: "outbox")).codeClass == "local")
    }

    @Test func failuresAreClassifiedByTheReplyTheirReasonNames() {
        let http = ProviderCallOutcome.Transport.http
        #expect(ProviderCallOutcome.of(.retryable(reason: "twilio answered HTTP 503: busy"), transport: http) == ProviderCallOutcome(outcome: "retryable", codeClass: "http_5xx"))
        #expect(ProviderCallOutcome.of(.retryable(reason: "webhook answered HTTP 429", retryAfterSeconds: 2), transport: http).codeClass == "http_4xx")
        #expect(ProviderCallOutcome.of(.permanent(reason: "fcm answered HTTP 400: bad"), transport: http) == ProviderCallOutcome(outcome: "permanent", codeClass: "http_4xx"))
        #expect(ProviderCallOutcome.of(.invalidRecipient(reason: "smtp: RCPT failed (reply 550)"), transport: .smtp) == ProviderCallOutcome(outcome: "invalid_recipient", codeClass: "smtp_5xx"))
        #expect(ProviderCallOutcome.of(.retryable(reason: "smtp: greylisted (reply 451)"), transport: .smtp).codeClass == "smtp_4xx")
        #expect(ProviderCallOutcome.of(.retryable(reason: "request timed out after 10 s"), transport: http).codeClass == "timeout")
        #expect(ProviderCallOutcome.of(.retryable(reason: "connection refused"), transport: http).codeClass == "transport")
        #expect(ProviderCallOutcome.of(.invalidRecipient(reason: "not an E.164 phone number"), transport: http).codeClass == "none")
        #expect(ProviderCallOutcome.of(.retryable(reason: "cannot write x.json: disk full"), transport: .local).codeClass == "local")
        // A number that is not a status right after the marker is not read as one.
        #expect(ProviderCallOutcome.of(.retryable(reason: "HTTP 50 is not a status; HTTP 502 is"), transport: http).codeClass == "http_5xx")
    }
}
