import HeraldCore

extension RedisServer {
    /// Runs `script` once per argument set, each call on a connection of its own and all of them
    /// at once, so they reach the server concurrently; the replies in the order of `argumentSets`.
    public func evaluateConcurrently(_ script: RedisScript, keys: [RedisKey], argumentSets: [[String]]) async throws -> [RESPValue] {
        let connections = argumentSets.map { _ in connection() }
        // Connected, and the script loaded, before any call: the calls themselves are what race.
        for connection in connections { _ = try await connection.send("PING") }
        _ = try await connections.first?.send("SCRIPT", "LOAD", script.source)
        let replies = try await withThrowingTaskGroup(of: (Int, RESPValue).self) { group in
            for (index, arguments) in argumentSets.enumerated() {
                let connection = connections[index]
                group.addTask { (index, try await connection.evaluate(script, keys: keys, arguments: arguments)) }
            }
            var replies = [RESPValue](repeating: .null, count: argumentSets.count)
            for try await (index, reply) in group { replies[index] = reply }
            return replies
        }
        for connection in connections { await connection.close() }
        return replies
    }
}
