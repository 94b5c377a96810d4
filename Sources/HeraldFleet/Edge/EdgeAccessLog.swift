import HeraldCore

/// Counts every exchange the edge answers by route and status, times it, and writes one JSON line
/// per request: method, route name, status, sizes, duration and client, never the path, query,
/// headers or body (tokens and write keys travel in those).
struct EdgeAccessLog: Sendable {
    let logger: Logger
    let metrics: Metrics
    let routeName: @Sendable (HTTPRequest) -> String

    init(logger: Logger, metrics: Metrics, routeName: @escaping @Sendable (HTTPRequest) -> String) {
        self.logger = logger
        self.metrics = metrics
        self.routeName = routeName
        metrics.register([.httpRequests, .httpRequestSeconds])
    }

    func record(_ exchange: HTTPExchange) {
        let route = exchange.answeredByServer && exchange.status == 413 ? "over-limit" : routeName(exchange.request)
        let status = String(exchange.status)
        let seconds = Double(exchange.duration.components.seconds) + Double(exchange.duration.components.attoseconds) / 1e18
        metrics.increment(.httpRequests, ["route": route, "status": status])
        metrics.observe(.httpRequestSeconds, seconds, ["route": route])
        logger.info("request", [
            "method": .string(exchange.request.method), "route": .string(route), "status": .number(Double(exchange.status)),
            "requestBytes": .number(Double(exchange.request.body.count)), "responseBytes": .number(Double(exchange.responseBytes)),
            "ms": .number((seconds * 1_000_000).rounded() / 1000), "client": .string(exchange.request.remoteAddress),
        ])
    }
}
