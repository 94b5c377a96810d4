import Foundation

/// Where and how to connect: parsed from `REDIS_URL` (`redis://[user:password@]host:port[/db]`).
public struct RedisConfiguration: Sendable, Hashable {
    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// ACL user name (Redis 6+); `nil` authenticates with the password alone.
    public var user: String?
    /// Password for AUTH.
    public var password: String?
    /// Database number for SELECT.
    public var database: Int
    /// How long a connect may take.
    public var connectTimeout: Duration
    /// Socket read/write timeout. It must exceed every BLOCK a caller uses, so a blocking read
    /// returns from the server before the socket gives up.
    public var socketTimeout: Duration

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 6379, user: String? = nil, password: String? = nil, database: Int = 0,
        connectTimeout: Duration = .seconds(2), socketTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.socketTimeout = socketTimeout
    }

    /// Parses `redis://[user:password@]host:port[/db]` (also `redis://:password@host`).
    public init(url text: String) throws(RedisClientError) {
        guard let components = URLComponents(string: text), components.scheme == "redis" else {
            throw .invalidURL(text, reason: "expected redis://[user:password@]host:port[/db]")
        }
        self.init()
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = components.port ?? 6379
        if let user = components.percentEncodedUser, !user.isEmpty { self.user = user.removingPercentEncoding ?? user }
        if let password = components.percentEncodedPassword, !password.isEmpty {
            self.password = password.removingPercentEncoding ?? password
        }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else { throw .invalidURL(text, reason: "database must be a number") }
            self.database = database
        }
    }

    /// `host:port`, for messages (never the password).
    public var address: String { "\(host):\(port)" }

    /// The configuration from `REDIS_URL`, or loopback 6379.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(RedisClientError) -> RedisConfiguration {
        guard let url = environment["REDIS_URL"], !url.isEmpty else { return RedisConfiguration() }
        return try RedisConfiguration(url: url)
    }
}
