/// Connection, server, scripting and transaction commands.
extension RedisCommand {
    /// `PING`.
    public static let ping = RedisCommand("PING")

    /// `INFO section`.
    public static func info(_ section: String) -> RedisCommand { RedisCommand("INFO", [section]) }

    /// `AUTH [user] password`.
    public static func auth(user: String?, password: String) -> RedisCommand { RedisCommand("AUTH", user.map { [$0, password] } ?? [password]) }

    /// `SELECT database`.
    public static func select(database: Int) -> RedisCommand { RedisCommand("SELECT", [database]) }

    /// `WAIT replicas timeout`: how many replicas acknowledged this connection's writes.
    public static func wait(replicas: Int, timeoutMilliseconds: Int) -> RedisCommand { RedisCommand("WAIT", [replicas, timeoutMilliseconds]) }

    /// `SCRIPT LOAD source`: the script's SHA-1.
    public static func scriptLoad(_ source: String) -> RedisCommand { RedisCommand("SCRIPT", ["LOAD", source]) }

    /// `EVALSHA sha numkeys key … argument …`.
    public static func evalsha(_ sha1: String, keys: [RedisKey], arguments: [any RedisArgument]) -> RedisCommand {
        RedisCommand("EVALSHA", [sha1, keys.count] + keys.map { $0 as any RedisArgument } + arguments)
    }

    /// `MULTI`: opens a transaction.
    public static let multi = RedisCommand("MULTI")

    /// `EXEC`: runs the open transaction.
    public static let exec = RedisCommand("EXEC")

    /// `CLUSTER SLOTS`.
    public static let clusterSlots = RedisCommand("CLUSTER", ["SLOTS"])

    /// `ASKING`: the next command may run on a slot being imported.
    public static let asking = RedisCommand("ASKING")
}
