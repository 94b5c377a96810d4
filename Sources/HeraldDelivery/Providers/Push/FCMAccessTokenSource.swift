import Foundation
import HeraldCore

/// Gets and caches the OAuth 2.0 access token FCM calls need: a JWT signed with the service
/// account's RSA key is exchanged at its `token_uri` (RFC 7523 JWT bearer grant), and the token is
/// reused until a minute before it expires.
actor FCMAccessTokenSource {
    private let account: FCMServiceAccount
    private let key: SigningKey
    private let client: HTTPClient
    private let timeout: Double
    private let clock: @Sendable () -> Date
    private var cached: (token: String, expires: Date)?
    private var pending: Task<Result<(String, Date), ProviderError>, Never>?

    /// The OAuth scope for FCM's HTTP v1 API.
    static let scope = "https://www.googleapis.com/auth/firebase.messaging"

    init(account: FCMServiceAccount, key: SigningKey, client: HTTPClient, timeout: Double, clock: @escaping @Sendable () -> Date) {
        self.account = account
        self.key = key
        self.client = client
        self.timeout = timeout
        self.clock = clock
    }

    /// A valid access token, from the cache or fresh; concurrent callers share one exchange.
    func token() async throws(ProviderError) -> String {
        if let cached, cached.expires.timeIntervalSince(clock()) > 60 { return cached.token }
        let task: Task<Result<(String, Date), ProviderError>, Never>
        if let pending {
            task = pending
        } else {
            let account = account, key = key, client = client, timeout = timeout, now = clock()
            task = Task { await FCMAccessTokenSource.exchange(account: account, key: key, client: client, timeout: timeout, now: now) }
            pending = task
        }
        let result = await task.value
        pending = nil
        let (token, expires) = try result.get()
        cached = (token, expires)
        return token
    }

    /// Drops the cached token (after FCM answered 401).
    func invalidate() {
        cached = nil
    }

    private static func exchange(
        account: FCMServiceAccount, key: SigningKey, client: HTTPClient, timeout: Double, now: Date
    ) async -> Result<(String, Date), ProviderError> {
        let issued = Int(now.timeIntervalSince1970)
        let assertion: String
        do {
            assertion = try JWT.sign(
                claims: [
                    "iss": .string(account.clientEmail), "scope": .string(scope), "aud": .string(account.tokenURI),
                    "iat": .number(Double(issued)), "exp": .number(Double(issued + 3600)),
                ],
                key: key)
        } catch {
            return .failure(.permanent(reason: "fcm: \(error)"))
        }
        let request = HTTPClientRequest(
            method: "POST", url: account.tokenURI,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            text: HTTPFormEncoding.encode([("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)]),
            timeout: timeout)
        let response: HTTPClientResponse
        do {
            response = try await client.send(request)
        } catch {
            return .failure(error.providerError)
        }
        if let failure = response.providerError(service: "fcm token endpoint") { return .failure(failure) }
        guard let json = try? JSONValue.parse(response.body), let token = json["access_token"]?.stringValue else {
            return .failure(.retryable(reason: "fcm token endpoint answered without an access_token"))
        }
        let lifetime = json["expires_in"]?.numberValue ?? 3600
        return .success((token, now.addingTimeInterval(lifetime)))
    }
}
