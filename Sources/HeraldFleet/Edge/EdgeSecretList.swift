import Foundation
import HeraldDelivery

/// Reads a list of secrets for rotation: `<NAME>S` (several, separated by commas or newlines),
/// `<NAME>` (one), each also as `_FILE` (a file holding the value; in a `S` file one secret per
/// line). The first secret listed signs; every one verifies.
public enum EdgeSecretList {
    /// The secrets under `name` (singular, e.g. `HERALD_EDGE_LINK_SECRET`) in `environment`, the
    /// plural's first; empty when none is set.
    public static func read(_ name: String, environment: [String: String]) throws(CredentialError) -> [Secret] {
        let source = CredentialSource(environment: environment)
        var secrets: [Secret] = []
        if let many = try source.optionalSecret(name + "S") {
            secrets += many.reveal().split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r" })
                .map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { Secret($0) }
        }
        if let one = try source.optionalSecret(name) { secrets.append(one) }
        return secrets
    }
}
