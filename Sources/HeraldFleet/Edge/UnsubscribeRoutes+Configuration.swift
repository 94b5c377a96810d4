import Foundation
import HeraldCore
import HeraldDelivery

extension UnsubscribeRoutes {
    /// The routes as `herald-edge` configures them, or `nil` when no unsubscribe key is set (the
    /// path then answers 404): keys `HERALD_UNSUBSCRIBE_SECRETS` (the previous ones, for links
    /// signed before a rotation) and `HERALD_UNSUBSCRIBE_SECRET` (the senders' current key), each
    /// also `_FILE`; the path of `HERALD_UNSUBSCRIBE_URL` (the table's default: `/unsubscribe`);
    /// tokens older than `HERALD_UNSUBSCRIBE_MAX_AGE_DAYS` (the table's default: 180) refused.
    public static func configured(
        environment: [String: String], writer: any EdgeStreamWriter, reader: any EdgePreferenceReader, process: FleetProcess
    ) throws -> UnsubscribeRoutes? {
        let secrets = try EdgeSecretList.read("HERALD_UNSUBSCRIBE_SECRET", environment: environment)
        if secrets.isEmpty { return nil }
        let signer: UnsubscribeSigner
        do {
            signer = try UnsubscribeSigner(keys: secrets.map { Array($0.reveal().utf8) })
        } catch {
            throw FleetConfigurationError.invalid(variable: "HERALD_UNSUBSCRIBE_SECRET(S)", value: "(secret)", expected: error.description)
        }
        let settings = ConfigurationReader(environment: environment, executable: .edge)
        let url = try settings.text("HERALD_UNSUBSCRIBE_URL")
        guard let components = URLComponents(string: url), !components.path.isEmpty else {
            throw FleetConfigurationError.invalid(variable: "HERALD_UNSUBSCRIBE_URL", value: url, expected: "an absolute URL with a path")
        }
        let days = try settings.integer("HERALD_UNSUBSCRIBE_MAX_AGE_DAYS")
        return UnsubscribeRoutes(
            signer: signer, path: components.path, maxAge: TimeInterval(days) * 86_400, writer: writer, reader: reader,
            metrics: process.metrics, logger: process.logger)
    }
}
