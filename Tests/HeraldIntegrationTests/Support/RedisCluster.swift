import Foundation
import HeraldCore
import HeraldTestSupport

/// A real local Redis Cluster started by a test: `masters` masters with one replica each, every
/// node a `redis-server --cluster-enabled yes` on a free loopback port, joined with
/// `redis-cli --cluster create … --cluster-replicas 1`. A short `cluster-node-timeout` lets a
/// replica take over within seconds of its master's `kill -9`.
final class RedisCluster: @unchecked Sendable {
    // @unchecked: `nodes` entries are replaced only by kill/restart, which a test calls sequentially.
    /// One node's server process and where it keeps its files.
    final class Node: @unchecked Sendable {
        // @unchecked: `process` changes only in start/kill, called by the one test that owns it.
        let port: Int
        let directory: URL
        fileprivate var process: ChildProcess?

        init(port: Int, directory: URL) {
            self.port = port
            self.directory = directory
        }

        var address: RedisNodeAddress { RedisNodeAddress(host: "127.0.0.1", port: port) }
        /// A plain (not cluster-aware) connection to just this node.
        func direct() -> RedisConnection { RedisConnection(configuration: RedisConfiguration(host: "127.0.0.1", port: port), label: "node-\(port)") }
    }

    let nodes: [Node]
    let nodeTimeoutMilliseconds: Int
    private let root: URL

    init(masters: Int = 3, nodeTimeoutMilliseconds: Int = 1500) throws {
        self.nodeTimeoutMilliseconds = nodeTimeoutMilliseconds
        root = FileManager.default.temporaryDirectory.appendingPathComponent("herald-cluster-\(UUID().uuidString.prefix(8))")
        var nodes: [Node] = []
        var tries = 0
        while nodes.count < masters * 2, tries < 100 {
            tries += 1
            // Below the ephemeral range (32768 on), with the bus port (port + 10000) too, so no
            // process's outgoing connection can take a port between this check and the bind.
            let port = Int.random(in: 10_000..<22_000)
            guard !nodes.contains(where: { $0.port == port }), FreePort.canBind(port), FreePort.canBind(port + 10_000) else { continue }
            let directory = root.appendingPathComponent(String(port))
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let node = Node(port: port, directory: directory)
            do {
                try Self.launch(node, nodeTimeoutMilliseconds: nodeTimeoutMilliseconds)
            } catch FixtureError.timeout where node.process?.isRunning == false {
                // Another process took the port first: redis-server exited; try another.
                continue
            }
            nodes.append(node)
        }
        guard nodes.count == masters * 2 else { throw FixtureError.missing("free ports for \(masters * 2) cluster nodes") }
        self.nodes = nodes
        let create = try ChildProcess(
            path: try Executables.find("redis-cli"),
            arguments: ["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" } + ["--cluster-replicas", "1", "--cluster-yes"],
            environment: ProcessInfo.processInfo.environment, output: root.appendingPathComponent("create.log").path)
        guard create.wait() == 0 else {
            throw FixtureError.missing("redis-cli --cluster create failed: \((try? String(contentsOf: root.appendingPathComponent("create.log"), encoding: .utf8)) ?? "")")
        }
        try waitUntilConsistent()
    }

    /// `REDIS_CLUSTER_URLS` for the fleet: every node as a seed.
    var urls: String { nodes.map { "redis://127.0.0.1:\($0.port)" }.joined(separator: ",") }

    /// A cluster configuration with the given seeds (all nodes by default).
    var configuration: RedisConfiguration {
        // The URLs are built here from loopback ports, so parsing cannot fail.
        try! RedisConfiguration(clusterURLs: urls)
    }

    /// A cluster-aware connection.
    func connection(label: String = "cluster-test") -> RedisConnection { RedisConnection(configuration: configuration, label: label) }

    /// The node currently serving `slot` as master, asked of a live node.
    func master(of slot: RedisHashSlot) async throws -> Node {
        let topology = try await currentTopology()
        guard let address = topology.master(for: slot), let node = nodes.first(where: { $0.port == address.port }) else {
            throw FixtureError.missing("a master for slot \(slot)")
        }
        return node
    }

    /// A node's cluster id (`CLUSTER MYID`).
    func id(of node: Node) async throws -> String {
        guard let id = try await node.direct().send("CLUSTER", "MYID").string else { throw FixtureError.missing("CLUSTER MYID") }
        return id
    }

    /// The slot map as a live node reports it.
    func currentTopology() async throws -> RedisClusterTopology {
        for node in nodes where node.process != nil {
            if let reply = try? await node.direct().send("CLUSTER", "SLOTS") {
                return try RedisClusterTopology(clusterSlots: reply, queried: node.address)
            }
        }
        throw FixtureError.missing("a live cluster node")
    }

    /// `kill -9` of a node.
    func kill(_ node: Node) {
        node.process?.signal(SIGKILL)
        _ = node.process?.wait()
        node.process = nil
    }

    /// Starts a killed node again with its cluster config (it rejoins, as a replica after a failover).
    func restart(_ node: Node) throws { try start(node) }

    /// Waits until every live node says `cluster_state:ok` and all report the same slot map.
    func waitUntilConsistent(timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try consistent() { return }
            usleep(100_000)
        }
        throw FixtureError.timeout("the cluster did not settle")
    }

    private func consistent() throws -> Bool {
        var maps: Set<String> = []
        for node in nodes where node.process != nil {
            guard let info = Self.query(port: node.port, "CLUSTER INFO"), info.contains("cluster_state:ok") else { return false }
            guard let slots = Self.query(port: node.port, "CLUSTER SLOTS") else { return false }
            maps.insert(slots)
            // A replica that has not finished its first sync could not take over from its master.
            guard let replication = Self.query(port: node.port, "INFO replication") else { return false }
            if replication.contains("role:slave"), !replication.contains("master_link_status:up") { return false }
        }
        return maps.count == 1
    }

    /// A command's raw output through redis-cli (synchronous, for fixture set-up off any pool).
    static func query(port: Int, _ command: String) -> String? {
        guard let cli = try? Executables.find("redis-cli") else { return nil }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("herald-cli-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: output) }
        guard let process = try? ChildProcess(
            path: cli, arguments: ["-p", String(port)] + command.split(separator: " ").map(String.init),
            environment: ProcessInfo.processInfo.environment, output: output.path)
        else { return nil }
        guard process.wait() == 0 else { return nil }
        return try? String(contentsOf: output, encoding: .utf8)
    }

    private func start(_ node: Node) throws { try Self.launch(node, nodeTimeoutMilliseconds: nodeTimeoutMilliseconds) }

    private static func launch(_ node: Node, nodeTimeoutMilliseconds: Int) throws {
        node.process = try ChildProcess(
            path: try Executables.find("redis-server"),
            arguments: [
                "--port", String(node.port), "--bind", "127.0.0.1", "--dir", node.directory.path,
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", String(nodeTimeoutMilliseconds),
                // A replica takes over however long it was out of touch, so a test's failover never stalls.
                "--cluster-replica-validity-factor", "0",
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--logfile", node.directory.appendingPathComponent("redis.log").path,
            ],
            environment: ProcessInfo.processInfo.environment, output: nil)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FreePort.answersPong(port: node.port) { return }
            // A redis-server that could not bind its port (or its bus port) exits at once.
            if node.process?.isRunning == false { break }
            usleep(20_000)
        }
        throw FixtureError.timeout("cluster node on port \(node.port) did not start")
    }

    deinit {
        for node in nodes { kill(node) }
        try? FileManager.default.removeItem(at: root)
    }
}
