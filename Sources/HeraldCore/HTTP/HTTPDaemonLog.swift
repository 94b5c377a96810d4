/// libmicrohttpd's own messages (a client sent headers too large, a connection reset), logged at
/// most once a second so a misbehaving client cannot flood the log.
final class HTTPDaemonLog: Sendable {
    private let logger: Logger
    private let throttle = ThrottledWarning(interval: .seconds(1))

    init(logger: Logger) { self.logger = logger }

    func log(_ message: String) {
        guard throttle.shouldWarn() else { return }
        var text = Substring(message)
        while text.last == "\n" { text = text.dropLast() }
        logger.warning("HTTP server", ["libmicrohttpd": .string(String(text))])
    }
}
