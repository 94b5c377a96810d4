import HeraldCore
import HeraldDelivery

/// Wires provider callbacks, the feedback webhook and tracked links into the edge, each only when
/// its secret is configured (otherwise its paths answer 404):
///
/// - `POST /callbacks/twilio`: `HERALD_EDGE_TWILIO_AUTH_TOKENS` / `HERALD_EDGE_TWILIO_AUTH_TOKEN`
///   (each also `_FILE`), else the SMS sender's `HERALD_TWILIO_AUTH_TOKEN`; signed URLs are
///   rebuilt on `HERALD_EDGE_PUBLIC_URL` (the scheme and host Twilio calls).
/// - `POST /callbacks/feedback`: `HERALD_EDGE_FEEDBACK_SECRETS` / `HERALD_EDGE_FEEDBACK_SECRET`
///   (`whsec_…`; each also `_FILE`), tolerance `HERALD_EDGE_FEEDBACK_TOLERANCE_S` (300).
/// - `GET /c/…`, `GET /o/….gif`: `HERALD_EDGE_LINK_SECRETS` / `HERALD_EDGE_LINK_SECRET` (each
///   also `_FILE`), the same secrets as the email sender's.
public enum EdgeCallbackRoutes {
    /// Adds the configured routes to `router`; throws when a secret is set but unusable.
    public static func register(in router: inout HTTPRouter, environment: [String: String], writer: any EdgeStreamWriter, process: FleetProcess) throws {
        let (metrics, logger) = (process.metrics, process.logger)
        var twilio = try EdgeSecretList.read("HERALD_EDGE_TWILIO_AUTH_TOKEN", environment: environment)
        if twilio.isEmpty, let token = try senderSecret("HERALD_TWILIO_AUTH_TOKEN", environment: environment) { twilio = [token] }
        let publicURL = try FleetConfiguration.text("HERALD_EDGE_PUBLIC_URL", in: environment)
        if !twilio.isEmpty {
            TwilioStatusCallback(authTokens: twilio, publicURL: publicURL, writer: writer, metrics: metrics, logger: logger).register(in: &router)
        }
        let feedback = try EdgeSecretList.read("HERALD_EDGE_FEEDBACK_SECRET", environment: environment)
        if !feedback.isEmpty {
            let tolerance = try ConfigurationReader(environment: environment, executable: .edge).integer("HERALD_EDGE_FEEDBACK_TOLERANCE_S")
            let verifier = try StandardWebhookVerifier(secrets: feedback, tolerance: tolerance)
            FeedbackWebhook(verifier: verifier, writer: writer, metrics: metrics, logger: logger).register(in: &router)
        }
        let links = TrackedLinkSigner(secrets: try EdgeSecretList.read("HERALD_EDGE_LINK_SECRET", environment: environment))
        if let links { TrackedLinkRoutes(signer: links, writer: writer, metrics: metrics, logger: logger).register(in: &router) }
        logger.info("edge callbacks", [
            "twilio": .bool(!twilio.isEmpty), "twilioTokens": .number(Double(twilio.count)), "publicURL": .string(publicURL ?? "(from Host)"),
            "feedbackWebhook": .bool(!feedback.isEmpty), "trackedLinks": .bool(links != nil),
        ])
    }

    /// A sender's credential, `nil` also when its file is empty: the example secret files are
    /// empty (no provider account), and then the edge has no callbacks to check either.
    static func senderSecret(_ name: String, environment: [String: String]) throws(CredentialError) -> Secret? {
        do {
            return try CredentialSource(environment: environment).optionalSecret(name)
        } catch {
            switch error {
            case .empty: return nil
            default: throw error
            }
        }
    }
}
