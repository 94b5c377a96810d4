import Foundation
import Testing

/// Static checks of `docker/docker-compose.yml` and `docker/Dockerfile` against Package.swift.
/// There is no Docker engine in CI, so these are the guard rails: a renamed product, a missing
/// healthcheck or a pinned container name fails here instead of on `docker compose up`.
struct ComposeFileTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Secret files docker/secrets/init.sh generates with random contents (the others are copied
    /// empty from their .example), by the variable that names them.
    static let generatedSecretVariables: Set<String> = [
        "HERALD_UNSUBSCRIBE_SECRET_FILE", "HERALD_EDGE_WRITE_KEYS_FILE", "HERALD_EDGE_LINK_SECRET_FILE", "HERALD_EDGE_FEEDBACK_SECRET_FILE",
    ]
    /// Executables that run on demand rather than as services.
    static let tools: Set<String> = ["heraldctl", "herald-bench"]

    static func text(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent(path)), as: UTF8.self)
    }

    static func compose() throws -> ComposeYAML { try ComposeYAML.parse(try text("docker/docker-compose.yml")) }

    static func services() throws -> [String: ComposeYAML] {
        try #require(try compose()["services"]?.map, "docker-compose.yml has no services mapping")
    }

    /// The names in Package.swift's `let executables = [ ... ]` array literal.
    static func executables() throws -> [String] {
        let manifest = try text("Package.swift")
        let start = try #require(manifest.range(of: "let executables = ["), "Package.swift has no executables array")
        let end = try #require(manifest[start.upperBound...].firstIndex(of: "]"))
        let names = manifest[start.upperBound..<end].split(separator: "\"").enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(names.count >= 10, "expected the fleet's executables, found \(names)")
        return names
    }

    /// Services that are not Herald processes: Redis and the edge's nginx entry.
    static let infrastructure: Set<String> = ["redis", "edge-proxy"]

    /// The fleet's services: all but the infrastructure and the optional profiles' (Prometheus, Grafana).
    static func herald(_ services: [String: ComposeYAML]) -> [(String, ComposeYAML)] {
        services.filter { !infrastructure.contains($0.key) && $0.value["profiles"] == nil }.sorted { $0.key < $1.key }
    }

    @Test func everyCommandNamesADeclaredExecutable() throws {
        let executables = Set(try Self.executables())
        for (name, service) in Self.herald(try Self.services()) {
            let command = try #require(service["command"]?.strings, "\(name) has no command list")
            #expect(command.first.map(executables.contains) == true, "\(name) runs \(command), not a product")
        }
    }

    @Test func everyLongRunningExecutableHasAService() throws {
        let commands = Set(Self.herald(try Self.services()).compactMap { $0.1["command"]?.list?.first?.string })
        for executable in try Self.executables() where !Self.tools.contains(executable) {
            #expect(commands.contains(executable), "no compose service runs \(executable)")
        }
    }

    @Test func everyServiceHasAHealthcheck() throws {
        for (name, service) in try Self.services() {
            let test = service["healthcheck"]?["test"]?.strings ?? []
            #expect(test.first == "CMD" && test.count > 1, "\(name) has no healthcheck test")
        }
        for (name, service) in Self.herald(try Self.services()) {
            let test = service["healthcheck"]?["test"]?.strings ?? []
            #expect(test.last == "http://localhost:9090/healthz", "\(name) does not probe its health endpoint")
        }
    }

    @Test func redisPersistsAndNeverEvicts() throws {
        let redis = try #require(try Self.services()["redis"])
        #expect(redis["image"]?.string?.hasPrefix("redis:7") == true)
        let command = redis["command"]?.strings ?? []
        let appendonly = try #require(command.firstIndex(of: "--appendonly"), "redis runs without --appendonly")
        #expect(command.indices.contains(appendonly + 1) && command[appendonly + 1] == "yes")
        let policy = try #require(command.firstIndex(of: "--maxmemory-policy"), "redis has no maxmemory policy")
        #expect(command.indices.contains(policy + 1) && command[policy + 1] == "noeviction")
        // noeviction only acts under a limit: without maxmemory Redis grows until the host kills it.
        let limit = try #require(command.firstIndex(of: "--maxmemory"), "redis has no maxmemory, so noeviction never acts")
        let size = command.indices.contains(limit + 1) ? command[limit + 1].lowercased() : ""
        let digits = size.prefix { $0.isNumber }
        #expect(!digits.isEmpty && Int(digits)! > 0 && ["", "kb", "mb", "gb"].contains(String(size.dropFirst(digits.count))), "maxmemory \(size)")
        #expect(redis["healthcheck"]?["test"]?.strings == ["CMD", "redis-cli", "ping"])
        #expect(redis["volumes"]?.list?.first?.string?.hasSuffix(":/data") == true)
    }

    @Test func fleetServicesAreScalable() throws {
        for (name, service) in try Self.services() {
            #expect(service["container_name"] == nil, "\(name) pins a container name")
        }
        for (name, service) in Self.herald(try Self.services()) {
            #expect(service["ports"] == nil, "\(name) maps host ports, so it cannot be scaled")
        }
    }

    @Test func fleetServicesShareTheRuntimeContract() throws {
        for (name, service) in Self.herald(try Self.services()) {
            #expect(service["build"]?["context"]?.string == "..", "\(name) build context")
            #expect(service["build"]?["dockerfile"]?.string == "docker/Dockerfile", "\(name) dockerfile")
            #expect(service["environment"]?["REDIS_URL"]?.string == "redis://redis:6379", "\(name) REDIS_URL")
            #expect(service["environment"]?["HERALD_METRICS_PORT"]?.string == "9090", "\(name) metrics port")
            #expect(service["depends_on"]?["redis"]?["condition"]?.string == "service_healthy", "\(name) depends_on")
            #expect(service["restart"]?.string == "unless-stopped", "\(name) restart policy")
            #expect(service["stop_grace_period"]?.string == "15s", "\(name) stop grace period")
        }
    }

    @Test func credentialsComeFromDeclaredSecretFiles() throws {
        let compose = try Self.compose()
        let declared = try #require(compose["secrets"]?.map)
        for (name, secret) in declared {
            #expect(secret["file"]?.string?.hasPrefix("./secrets/") == true, "secret \(name) is not a ./secrets file")
        }
        var used = Set<String>()
        for (name, service) in try Self.services().sorted(by: { $0.key < $1.key }) where name != "redis" {
            let secrets = Set(service["secrets"]?.strings ?? [])
            used.formUnion(secrets)
            #expect(secrets.isSubset(of: Set(declared.keys)), "\(name) uses undeclared secrets")
            for (key, value) in service["environment"]?.map ?? [:] where key.hasSuffix("_FILE") {
                let path = value.string ?? ""
                #expect(path.hasPrefix("/run/secrets/"), "\(name) \(key) does not point at a secret")
                #expect(secrets.contains(String(path.dropFirst("/run/secrets/".count))), "\(name) \(key) secret not mounted")
            }
            for (key, _) in service["environment"]?.map ?? [:] {
                #expect(!["PASSWORD", "TOKEN", "SECRET", "KEY", "CREDENTIALS"].contains(where: { key.hasSuffix($0) }),
                        "\(name) passes \(key) inline instead of through a *_FILE secret")
            }
        }
        #expect(used == Set(declared.keys), "declared secrets nobody uses: \(Set(declared.keys).subtracting(used))")
        let outbox = try #require(try Self.services()["herald-email-sender"]?["volumes"]?.strings)
        #expect(outbox.contains { $0.hasPrefix("email-outbox:") })
        #expect(compose["volumes"]?.map?.keys.contains("email-outbox") == true)
    }

    @Test func everySenderGetsTheUnsubscribeKeyAsASecretFile() throws {
        let senders = Self.herald(try Self.services()).filter { $0.0.hasSuffix("-sender") }
        #expect(senders.count == 5)
        for (name, service) in senders {
            // Senders refuse to start without it: Herald has no built-in key.
            #expect(service["environment"]?["HERALD_UNSUBSCRIBE_SECRET_FILE"]?.string == "/run/secrets/unsubscribe_secret", "\(name)")
            #expect(service["secrets"]?.strings?.contains("unsubscribe_secret") == true, "\(name)")
        }
        #expect(try Self.text("docker/secrets/init.sh").contains("unsubscribe_secret"), "init.sh does not create the key")
    }

    /// The Dockerfile's instructions: comments dropped, `\\` continuations joined.
    static func dockerInstructions() throws -> [String] {
        var instructions: [String] = []
        var current = ""
        for raw in try text("docker/Dockerfile").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || (line.isEmpty && current.isEmpty) { continue }
            if line.hasSuffix("\\") {
                current += line.dropLast() + " "
            } else {
                instructions.append(current + line)
                current = ""
            }
        }
        if !current.isEmpty { instructions.append(current) }
        return instructions.filter { !$0.isEmpty }
    }

    /// The packages an instruction passes to `apt-get install`.
    static func aptPackages(_ instruction: String) -> [String] {
        var packages: [String] = []
        for command in instruction.components(separatedBy: "&&") {
            let words = command.split(separator: " ").map(String.init)
            guard let install = words.firstIndex(of: "install"), words[..<install].contains("apt-get") else { continue }
            packages += words[(install + 1)...].filter { !$0.hasPrefix("-") }
        }
        return packages
    }

    @Test func dockerfileBuildsEveryProductAndRunsAsNonRootOnBookworm() throws {
        let instructions = try Self.dockerInstructions()
        let stages = instructions.indices.filter { instructions[$0].uppercased().hasPrefix("FROM ") }
        #expect(stages.count >= 2, "expected a multi-stage build")
        let builderFrom = instructions[try #require(stages.first)]
        #expect(builderFrom.contains("swift:6") && builderFrom.contains("-bookworm"), "builder is \(builderFrom)")
        let runtimeStart = try #require(stages.last)
        let runtime = instructions[runtimeStart...]
        let builder = instructions[..<runtimeStart]
        #expect(runtime.first?.contains("debian:bookworm-slim") == true, "runtime stage is \(runtime.first ?? "")")

        let builderPackages = Set(builder.flatMap(Self.aptPackages))
        #expect(builderPackages.isSuperset(of: ["libhiredis-dev", "libcurl4-openssl-dev", "libssl-dev", "libmicrohttpd-dev", "zlib1g-dev", "pkg-config"]))
        let runtimePackages = runtime.flatMap(Self.aptPackages)
        #expect(Set(runtimePackages).isSuperset(of: ["libhiredis0.14", "libcurl4", "libssl3", "libmicrohttpd12", "zlib1g", "ca-certificates", "tzdata"]))
        #expect(runtimePackages.allSatisfy { !$0.hasSuffix("-dev") }, "runtime installs \(runtimePackages)")

        let user = try #require(runtime.last { $0.uppercased().hasPrefix("USER ") }, "runtime stage has no USER")
        let userName = user.dropFirst(5).trimmingCharacters(in: .whitespaces)
        #expect(!["root", "0", "0:0"].contains(userName) && !userName.isEmpty, "runtime runs as \(userName)")
        #expect(runtime.contains { $0.contains("useradd") && $0.contains(userName) }, "user \(userName) is never created")
        #expect(runtime.contains { $0.hasPrefix("ENV ") && $0.contains("PATH=\"/app/bin:") })
        #expect(runtime.contains { $0.hasPrefix("WORKDIR /app") })
        #expect(runtime.contains { $0.hasPrefix("COPY config") && $0.contains("/app/config") })

        let builderText = builder.joined(separator: "\n")
        #expect(builderText.contains("swift build -c release --static-swift-stdlib"))
        // Bundle.module finds HeraldCore's Lua scripts next to the executable.
        #expect(builderText.contains("*.resources"), "the builder does not collect the resource bundles")
        for executable in try Self.executables() {
            #expect(builderText.contains(executable), "the builder does not collect \(executable)")
        }
    }

    @Test func theEdgeScalesBehindItsProxy() throws {
        let services = try Self.services()
        let edge = try #require(services["herald-edge"])
        let port = try #require(edge["environment"]?["HERALD_EDGE_PORT"]?.string)
        #expect(edge["ports"] == nil, "the edge maps host ports, so it cannot be scaled")
        let proxy = try #require(services["edge-proxy"])
        #expect(proxy["image"]?.string?.hasPrefix("nginx:") == true)
        #expect(proxy["depends_on"]?["herald-edge"]?["condition"]?.string == "service_healthy")
        let mount = try #require(proxy["volumes"]?.list?.first?.string)
        let file = String(try #require(mount.split(separator: ":").first)).replacingOccurrences(of: "./", with: "docker/")
        let nginx = try Self.text(file)
        // Resolved per request through Docker's DNS, so replicas added by --scale get traffic.
        #expect(nginx.contains("resolver 127.0.0.11"))
        #expect(nginx.contains("set $edge http://herald-edge:\(port);") && nginx.contains("proxy_pass $edge;"))
        #expect(nginx.contains("proxy_next_upstream error timeout http_503;"))
    }

    @Test func yamlReaderHandlesTheSubsetAndRejectsTheRest() throws {
        let document = """
            base: &base
              a: "1"   # comment
              list: [x, "y, z"]
            child:
              <<: *base
              a: override
              items:
              - name: one
                value: 'q # not a comment'
              - plain
            """
        let value = try ComposeYAML.parse(document)
        #expect(value["child"]?["a"]?.string == "override")
        #expect(value["child"]?["list"] == .list([.scalar("x"), .scalar("y, z")]))
        #expect(value["child"]?["items"]?.list?.first?["value"]?.string == "q # not a comment")
        #expect(value["child"]?["items"]?.list?.last?.string == "plain")
        #expect(throws: ComposeYAMLError.duplicateKey(line: 2, key: "a")) { try ComposeYAML.parse("a: 1\na: 2") }
        #expect(throws: ComposeYAMLError.unsupported(line: 1, text: "{b: 1}")) { try ComposeYAML.parse("a: {b: 1}") }
        #expect(throws: ComposeYAMLError.unknownAlias(line: 1, name: "missing")) { try ComposeYAML.parse("a: *missing") }
        #expect(throws: ComposeYAMLError.tabIndentation(line: 2)) { try ComposeYAML.parse("a:\n\tb: 1") }
    }
}
