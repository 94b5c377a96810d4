/// The bounds an `HTTPServer` holds every client to: what one request may send, how long a
/// connection may idle, how many connections one address may hold, and how long a drain waits.
public struct HTTPServerLimits: Sendable, Hashable {
    /// The largest request body accepted, in bytes; a larger one is answered `413` as soon as its
    /// `Content-Length` (or the bytes so far) say so, without reading the rest.
    public var maximumBodyBytes: Int
    /// The memory one connection may use for its request line and headers (libmicrohttpd answers
    /// a request whose headers do not fit with `431`).
    public var maximumHeaderBytes: Int
    /// A connection that sends nothing for this long is closed (a stalled or slowloris client).
    public var idleTimeout: Duration
    /// The most connections open at once.
    public var maximumConnections: Int
    /// The most connections one client address may hold open at once (0: no bound beyond
    /// `maximumConnections`).
    public var maximumConnectionsPerClient: Int
    /// Threads polling connections (each serves many; responders run on Swift tasks).
    public var threads: Int
    /// How long a graceful shutdown waits for requests in flight before stopping anyway.
    public var drainTimeout: Duration

    /// Creates limits; the defaults suit an endpoint on the internet behind a load balancer.
    public init(
        maximumBodyBytes: Int = 1 << 20, maximumHeaderBytes: Int = 16 * 1024, idleTimeout: Duration = .seconds(10),
        maximumConnections: Int = 1000, maximumConnectionsPerClient: Int = 0, threads: Int = 2,
        drainTimeout: Duration = .seconds(10)
    ) {
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumHeaderBytes = maximumHeaderBytes
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.maximumConnectionsPerClient = maximumConnectionsPerClient
        self.threads = threads
        self.drainTimeout = drainTimeout
    }

    /// The limits of a process's private health and metrics endpoint.
    public static let health = HTTPServerLimits(
        maximumBodyBytes: 4096, maximumHeaderBytes: 8192, idleTimeout: .seconds(5), maximumConnections: 64, threads: 1,
        drainTimeout: .seconds(1))
}
