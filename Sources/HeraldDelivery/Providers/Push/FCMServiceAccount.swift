import HeraldCore

/// The fields of a Google service-account key file that FCM needs.
public struct FCMServiceAccount: Sendable {
    /// `project_id`: the Firebase project messages are sent in.
    public var projectID: String
    /// `client_email`: the JWT issuer.
    public var clientEmail: String
    /// `private_key`: the RSA key in PEM.
    public var privateKey: Secret
    /// `token_uri`: where the signed JWT is exchanged for an access token.
    public var tokenURI: String

    /// Creates a service account from its parts.
    public init(projectID: String, clientEmail: String, privateKey: Secret, tokenURI: String = "https://oauth2.googleapis.com/token") {
        self.projectID = projectID
        self.clientEmail = clientEmail
        self.privateKey = privateKey
        self.tokenURI = tokenURI
    }

    /// Parses the service-account JSON file's text.
    public init(json: Secret) throws(PushCredentialError) {
        let document: JSONValue
        do {
            document = try JSONValue.parse(json.reveal())
        } catch {
            // The parse error's offset is harmless, but its context could quote key material; say less.
            throw .invalidServiceAccount(reason: "not valid JSON")
        }
        func field(_ name: String) throws(PushCredentialError) -> String {
            guard let value = document[name]?.stringValue, !value.isEmpty else {
                throw .invalidServiceAccount(reason: "missing \(name)")
            }
            return value
        }
        self.init(
            projectID: try field("project_id"), clientEmail: try field("client_email"),
            privateKey: Secret(try field("private_key")),
            tokenURI: document["token_uri"]?.stringValue ?? "https://oauth2.googleapis.com/token")
    }
}
