import Foundation
import HeraldCore

/// Reads credentials from the environment: `NAME` directly, or `NAME_FILE` naming a file that holds
/// it (Docker and Kubernetes secrets). One trailing newline in a file is dropped.
public struct CredentialSource: Sendable {
    /// The variables read.
    public var environment: [String: String]

    /// Reads from `environment`, by default the process's.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The credential `name`, or `nil` when neither `NAME` nor `NAME_FILE` is set.
    public func optionalSecret(_ name: String) throws(CredentialError) -> Secret? {
        let direct = environment[name]
        let file = environment[name + "_FILE"]
        switch (direct, file) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw .ambiguous(name: name)
        case (.some(let value), nil):
            guard !value.isEmpty else { throw .empty(name: name) }
            return Secret(value)
        case (nil, .some(let path)):
            let contents: String
            do {
                contents = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadableFile(name: name, path: path, reason: (error as NSError).localizedDescription)
            }
            var value = Substring(contents)
            // "\r\n" is one Character (one grapheme cluster): drop one, not two, or the value loses its last byte.
            if value.hasSuffix("\r\n") || value.hasSuffix("\n") { value = value.dropLast() }
            guard !value.isEmpty else { throw .empty(name: name) }
            return Secret(String(value))
        }
    }

    /// The credential `name`; throws `.missing` when it is not set.
    public func secret(_ name: String) throws(CredentialError) -> Secret {
        guard let secret = try optionalSecret(name) else { throw .missing(name: name) }
        return secret
    }

    /// A setting parsed as the variable table types it (`ConfigurationCatalogue.herald`): a port
    /// range-checked, a choice as listed; `nil` when unset or empty, `.malformed` when bad.
    public func setting(_ name: String) throws(CredentialError) -> String? {
        do {
            return try ConfigurationCatalogue.herald.value(name, in: environment)
        } catch {
            if case .invalid(_, let value, let expected) = error { throw .malformed(name: name, reason: "expected \(expected), not '\(value)'") }
            throw .malformed(name: name, reason: error.description)
        }
    }

    /// A plain (non-secret) setting, `nil` when unset or empty.
    public func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
