import Foundation

/// Where and how to connect: one Redis from `REDIS_URL` (`redis://[user:password@]host:port[/db]`),
/// or a Redis Cluster from `REDIS_CLUSTER_URLS` (`redis://[user:password@]h1:p1,redis://h2:p2,…`, any
/// reachable subset of its nodes; the client learns the rest from them).
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
    /// Seed nodes of a Redis Cluster; empty for one Redis at `host:port`.
    public var clusterSeeds: [RedisNodeAddress] = []

    /// Whether this names a Redis Cluster.
    public var isCluster: Bool { !clusterSeeds.isEmpty }

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

    /// Parses a comma-separated list of node URLs of one Redis Cluster. Credentials, when given,
    /// must be the same in every URL that has them; a cluster has only database 0.
    public init(clusterURLs text: String) throws(RedisClientError) {
        let urls = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !urls.isEmpty else { throw .invalidURL(text, reason: "expected redis://host:port,redis://host:port,…") }
        var nodes: [RedisConfiguration] = []
        for url in urls {
            let node = try RedisConfiguration(url: url)
            guard node.database == 0 else { throw .invalidURL(url, reason: "a Redis Cluster has only database 0") }
            nodes.append(node)
        }
        let credentialed = nodes.filter { $0.password != nil || $0.user != nil }
        if let first = credentialed.first, credentialed.contains(where: { $0.user != first.user || $0.password != first.password }) {
            throw .invalidURL("REDIS_CLUSTER_URLS", reason: "the cluster URLs carry different credentials")
        }
        self = credentialed.first ?? nodes[0]
        host = nodes[0].host
        port = nodes[0].port
        clusterSeeds = nodes.map { RedisNodeAddress(host: $0.host, port: $0.port) }
    }

    /// `host:port`, or the cluster's seed nodes, for messages (never the password).
    public var address: String {
        isCluster ? "cluster " + clusterSeeds.map(\.description).joined(separator: ",") : "\(host):\(port)"
    }

    /// The configuration from `REDIS_CLUSTER_URLS` (a cluster) or `REDIS_URL` (one Redis), or
    /// loopback 6379; setting both is an error.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(RedisClientError) -> RedisConfiguration {
        let single = environment["REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let cluster = environment["REDIS_CLUSTER_URLS"], !cluster.isEmpty {
            if single != nil { throw .invalidURL("REDIS_URL", reason: "set REDIS_URL (one Redis) or REDIS_CLUSTER_URLS (a cluster), not both") }
            return try RedisConfiguration(clusterURLs: cluster)
        }
        guard let single else { return RedisConfiguration() }
        return try RedisConfiguration(url: single)
    }
}
