/// Every process's health and metrics routes, served by an `HTTPServer` on `HERALD_METRICS_PORT`:
/// `GET /livez` (200 while the process's loops turn), `GET /readyz`, `/healthz` and `/health`
/// (200 while live and ready: Redis answers and the workers read; else 503 with the reason) and
/// `GET /metrics` (Prometheus text). For orchestrators and scrapers on a private network.
public enum HealthEndpoints {
    /// The probe routes alone (`/livez`, `/readyz`, `/healthz`, `/health`), for a public listener
    /// that must not expose metrics.
    public static func probes(isLive: @escaping @Sendable () -> Bool, isReady: @escaping @Sendable () -> Bool) -> HTTPRouter {
        var router = HTTPRouter()
        router.add("GET", "/livez", name: "livez") { _ in
            isLive() ? .text(200, "live\n") : .text(503, "stuck: no loop turned recently\n")
        }
        let readiness: HTTPRouter.Handler = { _ in
            if !isLive() { return .text(503, "stuck: no loop turned recently\n") }
            if !isReady() { return .text(503, "not ready: Redis is not answering, or the workers have not read yet\n") }
            return .text(200, "ready\n")
        }
        for path in ["/readyz", "/healthz", "/health"] {
            router.add("GET", path, name: String(path.dropFirst()), readiness)
        }
        return router
    }

    /// The probes and `/metrics`.
    public static func router(
        metrics: Metrics, isLive: @escaping @Sendable () -> Bool, isReady: @escaping @Sendable () -> Bool
    ) -> HTTPRouter {
        var router = probes(isLive: isLive, isReady: isReady)
        router.add("GET", "/metrics", name: "metrics") { _ in
            ProcessMetrics.sample(into: metrics)
            return HTTPResponse(
                status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]),
                body: Array(metrics.prometheusText().utf8))
        }
        return router
    }
}
