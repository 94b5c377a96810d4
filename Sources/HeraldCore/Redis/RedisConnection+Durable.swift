import Foundation

extension RedisServerError {
    /// Error codes that say the server cannot take writes right now but will (loading its data
    /// after a restart, out of memory under `noeviction`, a script running, a failover under way).
    public static let transientCodes: Set<Substring> = ["LOADING", "OOM", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"]

    /// Whether the same command may succeed if sent again later.
    public var isTransient: Bool { Self.transientCodes.contains(code) }
}

extension RedisConnection {
    /// Sends `commands` until Redis has taken them, for outcomes that must not be lost (a provider
    /// call's answer). A lost connection resends the whole pipeline and a transient error reply
    /// resends that command, with backoff, for as long as it takes; only cancellation stops it.
    /// Other error replies are returned for the caller to decide on.
    ///
    /// A resent pipeline may apply a command twice when the first try applied it but its reply was
    /// lost, so `commands` should be idempotent or tolerate a repeat (an extra status record).
    /// `onRetry` is told each failure (for logs and metrics).
    public func pipelineUntilApplied(
        _ commands: [RedisCommand], onRetry: (_ reason: String) -> Void
    ) async throws -> [RESPValue] {
        var replies = [RESPValue](repeating: .null, count: commands.count)
        var remaining = Array(commands.indices)
        var backoff = Backoff(initial: .milliseconds(20), maximum: .seconds(1))
        while !remaining.isEmpty {
            try Task.checkCancellation()
            do {
                let answers = try await pipeline(remaining.map { commands[$0] })
                var again: [Int] = []
                for (index, answer) in zip(remaining, answers) {
                    if case .error(let message) = answer, RedisServerError(command: commands[index].name, message: message).isTransient {
                        again.append(index)
                        onRetry(message)
                    } else {
                        replies[index] = answer
                    }
                }
                remaining = again
                if remaining.isEmpty { break }
            } catch let error as RedisClientError where error != .closed {
                onRetry("\(error)")
            }
            try await Task.sleep(for: backoff.next())
        }
        return replies
    }
}
