import Foundation
import HeraldCore

/// Makes and caches the ES256 provider token APNs token authentication needs: a JWT with the key
/// id (`kid`), team id (`iss`) and issue time (`iat`), signed with the .p8 key. Apple accepts a
/// token for an hour and rejects refreshing more often than every 20 minutes, so one is reused for 50.
actor APNsTokenSource {
    private let key: SigningKey
    private let keyID: String
    private let teamID: String
    private let clock: @Sendable () -> Date
    private var cached: (token: String, issued: Date)?

    /// How long a token is reused.
    static let lifetime: TimeInterval = 50 * 60

    init(key: SigningKey, keyID: String, teamID: String, clock: @escaping @Sendable () -> Date) {
        self.key = key
        self.keyID = keyID
        self.teamID = teamID
        self.clock = clock
    }

    /// The current provider token, signing a new one when the cached one is 50 minutes old.
    func token() throws(ProviderError) -> String {
        let now = clock()
        if let cached, now.timeIntervalSince(cached.issued) < APNsTokenSource.lifetime { return cached.token }
        do {
            let token = try JWT.sign(
                header: ["kid": .string(keyID)],
                claims: ["iss": .string(teamID), "iat": .number(Double(Int(now.timeIntervalSince1970)))], key: key)
            cached = (token, now)
            return token
        } catch {
            throw .permanent(reason: "apns: \(error)")
        }
    }

    /// Drops the cached token (after APNs answered ExpiredProviderToken).
    func invalidate() {
        cached = nil
    }
}
