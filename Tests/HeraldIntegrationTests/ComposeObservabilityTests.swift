import Foundation
import HeraldCore
import Testing

/// Static checks of the compose deployment's day-two pieces: senders that start without provider
/// credentials, secret files the image's user can read, and the `observability` profile
/// (Prometheus scraping every replica, alert rules, the Grafana dashboard), checked with Debian's
/// promtool and against the metric families Herald declares (`MetricFamily.all`, each of which
/// `MetricsExpositionTests` finds in a real process's output).
struct ComposeObservabilityTests {
    static let observability = ComposeFileTests.root.appendingPathComponent("docker/observability")

    /// Metric names an expression uses (identifiers followed by `{`, `[`, `)` or space that look like
    /// Herald's or Prometheus's own), with histogram suffixes dropped.
    static func metricNames(in expression: String) -> Set<String> {
        var names = Set<String>()
        var current = ""
        for character in expression + " " {
            if character.isLetter || character.isNumber || character == "_" || character == ":" {
                current.append(character)
                continue
            }
            if current.hasPrefix("herald_") || current.hasPrefix("process_") || current == "up" {
                var name = current
                for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && !MetricFamily.all.contains(where: { $0.name == name }) {
                    name = String(name.dropLast(suffix.count))
                }
                names.insert(name)
            }
            current = ""
        }
        return names
    }

    static let exported = Set(MetricFamily.all.map(\.name) + ["up"])

    // MARK: Senders and secrets

    @Test func sendersWithoutCredentialsHaveAWritableOutboxAndTheExampleSecretsConfigureNoProvider() throws {
        let services = try ComposeFileTests.services()
        for (name, service) in ComposeFileTests.herald(services) where name.hasSuffix("-sender") && name != "herald-inapp-sender" {
            #expect(service["environment"]?["HERALD_OUTBOX_DIR"]?.string == "/app/var/outbox", "\(name) outbox directory")
            let volumes = service["volumes"]?.strings ?? []
            #expect(volumes.contains { $0.hasSuffix(":/app/var/outbox") }, "\(name) has no outbox volume: it could not write as uid 10001")
        }
        let dockerfile = try ComposeFileTests.dockerInstructions()
        #expect(dockerfile.contains { $0.contains("mkdir -p /app/var/outbox") && $0.contains("chown -R herald:herald /app/var") })
        // An empty provider file is "not configured" (ChannelProviders.configured): with the examples,
        // each sender starts on its outbox instead of dying on an empty credential.
        let secrets = ComposeFileTests.root.appendingPathComponent("docker/secrets")
        for example in try FileManager.default.contentsOfDirectory(atPath: secrets.path) where example.hasSuffix(".example") {
            let contents = try Data(contentsOf: secrets.appendingPathComponent(example))
            #expect(contents.isEmpty, "\(example) is not empty, so the demo would configure a provider with it")
        }
    }

    @Test func initMakesEverySecretReadableByTheImageUserInAPrivateDirectory() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("herald-secrets-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: ComposeFileTests.root.appendingPathComponent("docker/secrets"), to: copy)
        // A file an older init.sh left at mode 600 is fixed too.
        let old = copy.appendingPathComponent("smtp_url")
        try Data().write(to: old)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: old.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [copy.appendingPathComponent("init.sh").path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let declared = try #require(try ComposeFileTests.compose()["secrets"]?.map)
        for (name, secret) in declared {
            let file = copy.appendingPathComponent(String(try #require(secret["file"]?.string).dropFirst("./secrets/".count)))
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int, "init.sh did not create \(name)")
            // The container sees the host's owner and mode: uid 10001 (and Grafana's 472) read it as "other".
            #expect(mode & 0o004 != 0, "secret \(name) is mode \(String(mode, radix: 8)): uid 10001 cannot read it")
            #expect(mode & 0o002 == 0, "secret \(name) is writable by others")
        }
        let directory = try #require(try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int)
        #expect(directory == 0o700, "docker/secrets is mode \(String(directory, radix: 8)): other host users could read the secrets")
        for generated in ["unsubscribe_secret", "grafana_admin_password"] {
            #expect(try String(contentsOf: copy.appendingPathComponent(generated), encoding: .utf8).count >= 32, "\(generated) is not a random value")
        }
    }

    /// Every credential Herald reads goes through `CredentialSource` (which takes `NAME_FILE` too);
    /// none is read from the environment directly.
    @Test func everySecretHasAFileForm() throws {
        let sources = ComposeFileTests.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        var secretReads = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            secretReads += text.components(separatedBy: "ecret(\"HERALD_").count - 1
            for word in ["SECRET", "TOKEN", "PASSWORD", "CREDENTIALS", "_KEY\""] {
                for line in text.split(separator: "\n") where line.contains("environment[\"HERALD_") && line.contains(word) {
                    Issue.record("\(file.lastPathComponent) reads a secret from the environment directly: \(line)")
                }
            }
        }
        #expect(secretReads >= 8, "expected the credential reads (unsubscribe, webhook, Twilio SID and token, FCM, APNs, SMTP URL and password), found \(secretReads)")
    }

    // MARK: Observability profile

    @Test func theObservabilityProfileAddsPrometheusAndGrafanaOnly() throws {
        let services = try ComposeFileTests.services()
        let profiled = services.filter { $0.value["profiles"] != nil }
        #expect(Set(profiled.keys) == ["prometheus", "grafana"])
        for (name, service) in profiled {
            #expect(service["profiles"]?.strings == ["observability"], "\(name) profiles")
            let image = try #require(service["image"]?.string)
            #expect(image.contains(":") && !image.hasSuffix(":latest"), "\(name) image \(image) is not pinned")
            #expect(service["healthcheck"]?["test"]?.strings?.first == "CMD", "\(name) healthcheck")
            #expect(service["restart"]?.string == "unless-stopped")
            for volume in service["volumes"]?.strings ?? [] where volume.hasPrefix("./") {
                let path = String(volume.split(separator: ":")[0].dropFirst(2))
                #expect(FileManager.default.fileExists(atPath: ComposeFileTests.root.appendingPathComponent("docker/" + path).path), "\(name) mounts missing \(path)")
            }
        }
        let prometheus = try #require(services["prometheus"])
        #expect(prometheus["command"]?.strings?.contains("--config.file=/etc/prometheus/prometheus.yml") == true)
        #expect(prometheus["volumes"]?.strings?.contains("./observability/alerts.yml:/etc/prometheus/alerts.yml:ro") == true)
        #expect(try #require(services["grafana"])["environment"]?["GF_SECURITY_ADMIN_PASSWORD__FILE"]?.string == "/run/secrets/grafana_admin_password")
    }

    @Test func prometheusScrapesEveryReplicaOfEveryServiceAndItsConfigPassesPromtool() throws {
        let config = try ComposeYAML.parse(String(contentsOf: Self.observability.appendingPathComponent("prometheus.yml"), encoding: .utf8))
        let job = try #require(config["scrape_configs"]?.list?.first { $0["job_name"]?.string == "herald" })
        let discovery = try #require(job["dns_sd_configs"]?.list?.first)
        // Docker's DNS answers a service name with one A record per replica, so `--scale` is followed.
        #expect(discovery["type"]?.string == "A")
        #expect(discovery["port"]?.string == "9090")
        let names = Set(discovery["names"]?.strings ?? [])
        let fleet = Set(ComposeFileTests.herald(try ComposeFileTests.services()).map(\.0))
        #expect(names == fleet, "scraped \(names), fleet \(fleet)")
        for (name, service) in ComposeFileTests.herald(try ComposeFileTests.services()) {
            #expect(service["environment"]?["HERALD_METRICS_PORT"]?.string == discovery["port"]?.string, "\(name)")
        }
        #expect(job["static_configs"] == nil, "a static target list would miss scaled replicas")
        let checked = try Promtool.run(["check", "config", Self.observability.appendingPathComponent("prometheus.yml").path])
        #expect(checked.status == 0, "\(checked.output)")
    }

    static let requiredAlerts: Set<String> = [
        "HeraldStreamLagGrowing", "HeraldDeadLetters", "HeraldProviderErrorRate", "HeraldCircuitBreakerOpen", "HeraldTimersLate", "HeraldPartitionUnowned",
    ]

    @Test func alertRulesPassPromtoolTheirUnitTestsAndNameOnlyExportedFamilies() throws {
        let file = Self.observability.appendingPathComponent("alerts.yml")
        let checked = try Promtool.run(["check", "rules", file.path])
        #expect(checked.status == 0, "\(checked.output)")
        let tested = try Promtool.run(["test", "rules", Self.observability.appendingPathComponent("alerts.test.yml").path])
        #expect(tested.status == 0, "\(tested.output)")
        let rules = try ComposeYAML.parse(String(contentsOf: file, encoding: .utf8))
        let all = (rules["groups"]?.list ?? []).flatMap { $0["rules"]?.list ?? [] }
        let names = Set(all.compactMap { $0["alert"]?.string })
        #expect(names.isSuperset(of: Self.requiredAlerts), "missing \(Self.requiredAlerts.subtracting(names))")
        let testText = try String(contentsOf: Self.observability.appendingPathComponent("alerts.test.yml"), encoding: .utf8)
        for rule in all {
            let name = rule["alert"]?.string ?? "?"
            let expression = try #require(rule["expr"]?.string, "\(name) has no expr")
            let used = Self.metricNames(in: expression)
            #expect(!used.isEmpty && used.isSubset(of: Self.exported), "\(name) uses \(used.subtracting(Self.exported)), which Herald does not export")
            #expect(["critical", "warning", "info"].contains(rule["labels"]?["severity"]?.string ?? ""), "\(name) severity")
            #expect(rule["annotations"]?["summary"]?.string?.isEmpty == false, "\(name) summary")
            if Self.requiredAlerts.contains(name) { #expect(testText.contains("alertname: \(name)"), "\(name) has no unit test in alerts.test.yml") }
        }
    }

    @Test func theDashboardIsProvisionedAndEveryPanelQueriesExportedFamiliesInValidPromQL() throws {
        let data = try Data(contentsOf: Self.observability.appendingPathComponent("grafana/dashboards/herald.json"))
        let dashboard = try JSONValue.parse(String(decoding: data, as: UTF8.self))
        #expect(dashboard["uid"]?.stringValue?.isEmpty == false && dashboard["title"]?.stringValue?.isEmpty == false)
        let datasources = try ComposeYAML.parse(String(contentsOf: Self.observability.appendingPathComponent("grafana/provisioning/datasources/prometheus.yml"), encoding: .utf8))
        let source = try #require(datasources["datasources"]?.list?.first)
        #expect(source["url"]?.string == "http://prometheus:9090" && source["type"]?.string == "prometheus")
        let provider = try ComposeYAML.parse(String(contentsOf: Self.observability.appendingPathComponent("grafana/provisioning/dashboards/herald.yml"), encoding: .utf8))
        let grafana = try #require(try ComposeFileTests.services()["grafana"])
        let dashboardsPath = try #require(provider["providers"]?.list?.first?["options"]?["path"]?.string)
        #expect(grafana["volumes"]?.strings?.contains("./observability/grafana/dashboards:\(dashboardsPath):ro") == true, "provider path \(dashboardsPath) is not mounted")

        let panels = (dashboard["panels"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "row" }
        #expect(panels.count >= 12)
        var expressions: [String] = []
        var used = Set<String>()
        for panel in panels {
            let title = panel["title"]?.stringValue ?? "?"
            #expect(panel["datasource"]?["uid"]?.stringValue == source["uid"]?.string, "\(title) datasource")
            let targets = panel["targets"]?.arrayValue ?? []
            #expect(!targets.isEmpty, "\(title) has no query")
            for target in targets {
                let expression = try #require(target["expr"]?.stringValue, "\(title) target without expr")
                let names = Self.metricNames(in: expression)
                #expect(!names.isEmpty && names.isSubset(of: Self.exported), "\(title): \(names.subtracting(Self.exported)) not exported by Herald")
                used.formUnion(names)
                expressions.append(expression)
            }
        }
        // The data path end to end: ingest, evaluate, schedule, send, and the processes.
        let path: [MetricFamily] = [.eventsAccepted, .streamLag, .evaluations, .partitionLeaseOwned, .timersPending, .timerLateness,
                                    .deliveries, .providerCalls, .sendLatency, .deadLetters, .breakerState, .processResidentMemory]
        for family in path { #expect(used.contains(family.name), "the dashboard shows nothing of \(family.name)") }
        // promtool parses every query (as recording rules of a scratch file).
        var rules = "groups:\n  - name: dashboard\n    rules:\n"
        for (index, expression) in expressions.enumerated() {
            rules += "      - record: dashboard_query_\(index)\n        expr: '\(expression.replacingOccurrences(of: "'", with: "''"))'\n"
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("herald-dashboard-rules-\(UUID().uuidString.prefix(8)).yml")
        try Data(rules.utf8).write(to: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let checked = try Promtool.run(["check", "rules", scratch.path])
        #expect(checked.status == 0, "\(checked.output)")
    }

    @Test func theObservabilityDocNamesEveryFamilyAndEveryAlert() throws {
        let doc = try ComposeFileTests.text("docs/observability.md")
        for family in MetricFamily.all {
            #expect(doc.contains("`\(family.name)`"), "docs/observability.md does not describe \(family.name)")
        }
        let rules = try ComposeYAML.parse(String(contentsOf: Self.observability.appendingPathComponent("alerts.yml"), encoding: .utf8))
        for rule in (rules["groups"]?.list ?? []).flatMap({ $0["rules"]?.list ?? [] }) {
            let name = rule["alert"]?.string ?? "?"
            #expect(doc.contains("`\(name)`"), "docs/observability.md does not describe the alert \(name)")
        }
        #expect(try ComposeFileTests.text("README.md").contains("docs/observability.md"))
    }
}
