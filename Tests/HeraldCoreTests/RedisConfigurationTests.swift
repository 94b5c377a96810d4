import HeraldCore
import Testing

@Suite struct RedisConfigurationTests {
    @Test func parsesUserPasswordHostPortAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://herald:s%40cret@redis.internal:6380/3")
        #expect(configuration.host == "redis.internal")
        #expect(configuration.port == 6380)
        #expect(configuration.user == "herald")
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == 3)
        #expect(!configuration.address.contains("cret"))
    }

    @Test func passwordOnlyAndDefaults() throws {
        let configuration = try RedisConfiguration(url: "redis://:pw@localhost")
        #expect(configuration.user == nil && configuration.password == "pw" && configuration.port == 6379 && configuration.database == 0)
    }

    @Test(arguments: ["http://localhost:6379", "redis://localhost:6379/x", "not a url"])
    func rejectsUnusableURLs(_ url: String) {
        #expect(throws: RedisClientError.self) { try RedisConfiguration(url: url) }
    }

    @Test func socketTimeoutOutlastsTheLongestBlock() {
        let configuration = RedisConfiguration()
        #expect(configuration.socketTimeout > .milliseconds(StreamWorkerOptions(group: "g", consumer: "c", deadLetter: "d").blockMilliseconds * 2))
    }
}
