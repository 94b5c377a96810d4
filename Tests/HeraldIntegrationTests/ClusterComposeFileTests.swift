import Foundation
import HeraldCore
import Testing

/// Static checks of `docker/docker-compose.cluster.yml`, the override that runs the fleet on a
/// six-node Redis Cluster (there is no Docker engine in CI).
struct ClusterComposeFileTests {
    static func override() throws -> [String: ComposeYAML] {
        let document = try ComposeYAML.parse(try ComposeFileTests.text("docker/docker-compose.cluster.yml"))
        return try #require(document["services"]?.map, "docker-compose.cluster.yml has no services mapping")
    }

    static func nodes(_ services: [String: ComposeYAML]) -> [(String, ComposeYAML)] {
        services.filter { $0.key.hasPrefix("redis-node-") }.sorted { $0.key < $1.key }
    }

    static func value(after flag: String, in command: [String]) -> String? {
        guard let index = command.firstIndex(of: flag), command.indices.contains(index + 1) else { return nil }
        return command[index + 1]
    }

    @Test func sixPersistentClusterNodesThatNeverEvictAndAnnounceTheirNames() throws {
        let nodes = Self.nodes(try Self.override())
        #expect(nodes.count == 6, "3 masters with a replica each")
        for (name, node) in nodes {
            let command = node["command"]?.strings ?? []
            #expect(node["image"]?.string?.hasPrefix("redis:7") == true, "\(name) image")
            #expect(Self.value(after: "--cluster-enabled", in: command) == "yes", "\(name) is not a cluster node")
            #expect(Self.value(after: "--appendonly", in: command) == "yes", "\(name) does not persist")
            #expect(Self.value(after: "--maxmemory-policy", in: command) == "noeviction", "\(name) may evict")
            #expect(Self.value(after: "--maxmemory", in: command).map { !$0.isEmpty } == true, "\(name) has no maxmemory")
            #expect(Self.value(after: "--cluster-announce-hostname", in: command) == name, "\(name) announces another name")
            #expect(Self.value(after: "--cluster-preferred-endpoint-type", in: command) == "hostname")
            #expect(node["healthcheck"]?["test"]?.strings == ["CMD", "redis-cli", "ping"], "\(name) healthcheck")
            #expect(node["volumes"]?.list?.first?.string == "\(name):/data", "\(name) keeps its data and nodes.conf in a volume")
        }
    }

    @Test func aOneShotServiceJoinsEveryNodeWithOneReplicaEach() throws {
        let services = try Self.override()
        let create = try #require(services["redis-cluster-create"])
        #expect(create["restart"]?.string == "no", "it runs once")
        let script = (create["command"]?.strings ?? []).joined(separator: " ")
        #expect(script.contains("--cluster create") && script.contains("--cluster-replicas 1") && script.contains("--cluster-yes"))
        #expect(script.contains("for n in 1 2 3 4 5 6") && script.contains("getent hosts redis-node-$n"), "every node joins")
        #expect(script.contains("cluster_state:ok && exit 0"), "a cluster created before is left as it is")
        for (name, _) in Self.nodes(services) {
            #expect(create["depends_on"]?[name]?["condition"]?.string == "service_healthy", "waits for \(name)")
        }
    }

    @Test func everyFleetServiceIsPointedAtTheClusterOnce() throws {
        let base = try ComposeFileTests.services()
        let services = try Self.override()
        let nodeNames = Self.nodes(services).map(\.0)
        for (name, _) in ComposeFileTests.herald(base) {
            let service = try #require(services[name], "\(name) is not pointed at the cluster")
            let environment = try #require(service["environment"])
            #expect(environment["REDIS_URL"]?.string == "", "\(name): the base file's REDIS_URL must be emptied (setting both is an error)")
            let urls = try #require(environment["REDIS_CLUSTER_URLS"]?.string)
            let configuration = try RedisConfiguration(clusterURLs: urls)
            #expect(configuration.clusterSeeds.map(\.host) == nodeNames && configuration.clusterSeeds.allSatisfy { $0.port == 6379 }, "\(name) seeds")
            #expect(try RedisConfiguration.fromEnvironment(["REDIS_URL": "", "REDIS_CLUSTER_URLS": urls]).isCluster)
            #expect(environment["HERALD_INGEST_SHARDS"]?.string.flatMap(Int.init).map { $0 > 1 } == true, "\(name) ingest shards")
            #expect(environment["HERALD_REPLICA_ACKS"]?.string == "1", "\(name) acknowledges what a replica has")
            #expect(service["depends_on"]?["redis-cluster-create"]?["condition"]?.string == "service_completed_successfully", "\(name) waits for the cluster")
        }
    }
}
