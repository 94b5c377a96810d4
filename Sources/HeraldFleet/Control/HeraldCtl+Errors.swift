import Foundation
import HeraldCore

extension HeraldCtl {
    /// A Redis failure in plain words, naming what to check (`REDIS_URL`, the server), or `nil`
    /// for errors that are not Redis's. The password is never part of the text.
    static func plainRedisError(_ error: any Error, configuration: RedisConfiguration) -> String? {
        let address = configuration.address
        if let client = error as? RedisClientError {
            switch client {
            case .connectionFailed(_, let reason):
                return connectionProblem(reason, address: address, configuration: configuration)
            case .io(let command, let reason):
                return "lost the connection to Redis at \(address) during \(command) (\(reason.lowercased())); nothing more was done, run the command again once Redis answers"
            case .unexpectedReply(let command, let reply):
                return "Redis at \(address) answered \(command) with something heraldctl cannot read (\(reply.prefix(120))); is REDIS_URL pointing at a Redis 7 server?"
            case .invalidURL(let url, let reason):
                return "REDIS_URL '\(url)' is not a Redis URL (\(reason)); write redis://[user:password@]host:port[/db]"
            case .closed:
                return "the connection to Redis at \(address) was closed"
            case .crossSlot(let command, let slots):
                return "\(command) names keys in different Redis Cluster hash slots (\(slots.map(String.init).joined(separator: ", "))); this is a Herald bug, please report it"
            case .clusterUnavailable(let reason):
                return "the Redis Cluster at \(address) cannot serve the command right now (\(reason)); check `redis-cli cluster info` and run the command again"
            case .tooManyRedirections(let command):
                return "the Redis Cluster at \(address) kept redirecting \(command) (a resharding under way?); run the command again"
            }
        }
        if let server = error as? RedisServerError {
            switch server.code {
            case "NOAUTH":
                return "Redis at \(address) requires a password and REDIS_URL gives none; write redis://[user:]PASSWORD@host:port"
            case "WRONGPASS":
                return "Redis at \(address) rejected the user name or password in REDIS_URL"
            case "NOPERM":
                return "the Redis user in REDIS_URL may not run \(server.command) at \(address) (NOPERM); grant it the command or use another user"
            case "WRONGTYPE":
                return "a key \(server.command) read at \(address) holds another type than Herald writes there; is HERALD_PREFIX shared with something else?"
            case "LOADING":
                return "Redis at \(address) is still loading its data set; try again in a moment"
            case "READONLY":
                return "Redis at \(address) is a read-only replica; point REDIS_URL at the primary"
            default:
                return "Redis at \(address) refused \(server.command): \(server.message)"
            }
        }
        return nil
    }

    /// Why a connection could not be opened, from hiredis's reason or the AUTH/SELECT reply.
    static func connectionProblem(_ reason: String, address: String, configuration: RedisConfiguration) -> String {
        let lower = reason.lowercased()
        if lower.contains("refused") {
            return "cannot reach Redis at \(address): connection refused; is redis-server running there, and does REDIS_URL name it?"
        }
        if lower.contains("wrongpass") || lower.contains("invalid password") || lower.contains("invalid username-password") {
            return "Redis at \(address) rejected the user name or password in REDIS_URL"
        }
        if lower.contains("without any password configured") || lower.contains("no password is set") {
            return "REDIS_URL gives a password but Redis at \(address) has none set; drop it from REDIS_URL or set requirepass"
        }
        if lower.hasPrefix("select") {
            return "Redis at \(address) has no database \(configuration.database) (from REDIS_URL's /db)"
        }
        if lower.contains("timed out") || lower.contains("temporarily unavailable") {
            return "Redis at \(address) did not answer within \(configuration.connectTimeout); is the host reachable?"
        }
        if lower.contains("name or service not known") || lower.contains("not known") || lower.contains("no address") {
            return "cannot resolve the host '\(configuration.host)' in REDIS_URL"
        }
        return "cannot connect to Redis at \(address): \(reason)"
    }
}
