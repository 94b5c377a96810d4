import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// Every process of the fleet, run against a real redis-server and real protocol peers, exposes
/// `/metrics` that the Prometheus project's own parser reads and `promtool check metrics` passes, with the families an SRE alerts on
/// and values that match the traffic; and their logs say what failed with the ids to act on,
/// never a secret.
@Suite struct MetricsExpositionTests {
    static let processes = [
        "herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender", "herald-sms-sender",
        "herald-push-sender", "herald-webhook-sender", "herald-inapp-sender",
    ]
    static let twilioToken = "twilio-token-" + UUID().uuidString
    static let unsubscribeSecret = "unsubscribe-secret-" + UUID().uuidString

    static let smsJourney = #"""
        {"id": "test-sms", "name": "Test SMS receipt",
         "trigger": {"behaviour": {"event": "Order Completed"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "text", "send": {"channel": "sms", "template": "sms-note", "category": "transactional"}}]}
        """#

    static func identify(_ user: String, phone: String) -> String {
        #"{"type":"identify","messageId":"i-\#(user)","userId":"\#(user)","traits":{"email":"\#(user)@example.com","phone":"\#(phone)","firstName":"Ann"},"timestamp":"\#(TestTime.recent)"}"#
    }

    static func order(_ user: String, _ id: String) -> String {
        TestJourneys.track(user, "Order Completed", messageId: id, properties: #"{"order_id":"\#(id)","total":5}"#)
    }

    /// The sum of the samples named `sample` whose labels include `labels`.
    static func sum(_ families: [String: PrometheusParser.Family], _ sample: String, _ labels: [String: String] = [:]) -> Double {
        families.values.flatMap(\.samples).filter { found in
            found.name == sample && labels.allSatisfy { key, value in found.labels[key] == value }
        }.reduce(0) { $0 + $1.value }
    }

    /// The parser's family for Herald's `family` (the parser names a counter without `_total`).
    static func family(_ families: [String: PrometheusParser.Family], _ family: MetricFamily) -> PrometheusParser.Family? {
        families[family.name] ?? families[String(family.name.dropLast(family.name.hasSuffix("_total") ? 6 : 0))]
    }

    @Test func everyProcessExposesParsableMetricsThatMatchTheTrafficAndLogsFailuresWithoutSecrets() async throws {
        let started = Date().timeIntervalSince1970
        let twilio = try await FleetPeer.twilio(account: "ACtest", token: Self.twilioToken)
        let hooks = try await FleetPeer.webhook(secret: ProviderEndToEndTests.secret)
        let config = try TestConfig(templates: ProviderEndToEndTests.templates.merging(["sms-note": ["body.mustache": "Order for {{userId}} confirmed"]]) { $1 })
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt, ProviderEndToEndTests.hookJourney(), Self.smsJourney])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        var ports: [String: Int] = [:]
        for name in Self.processes {
            let port = try FreePort.find()
            ports[name] = port
            try fleet.start(name, [
                "HERALD_CONFIG_DIR": config.path, "HERALD_METRICS_PORT": String(port), "HERALD_METRICS_INTERVAL_MS": "200",
                "HERALD_UNSUBSCRIBE_SECRET": Self.unsubscribeSecret, "HERALD_RETRY_BASE_MS": "100",
                // Each webhook's first attempt gets 503, the second 204.
                "HERALD_WEBHOOK_SECRET": ProviderEndToEndTests.secret, "HERALD_WEBHOOK_URL": hooks.baseURL + "/flaky/1",
                "HERALD_TWILIO_ACCOUNT_SID": "ACtest", "HERALD_TWILIO_AUTH_TOKEN": Self.twilioToken,
                "HERALD_TWILIO_FROM": "+15005550006", "HERALD_TWILIO_BASE_URL": twilio.baseURL,
            ])
        }
        for (name, port) in ports {
            #expect(try await eventually(timeout: 20) { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "\(name) not ready")
        }
        // Four users order once (Twilio refuses lou's number: a bounce, a dead letter and a
        // suppression record), then lou orders again (the SMS is suppressed).
        let users = ["ann": "+15005550006", "bob": "+15005550007", "cy": "+15005550008", "lou": "+15005550001"]
        try await fleet.produce(connection, users.sorted { $0.key < $1.key }.flatMap { [Self.identify($0.key, phone: $0.value), Self.order($0.key, "o-\($0.key)")] })
        #expect(try await eventually(timeout: 30) {
            try await connection.send("GET", fleet.keyspace.suppression(fleet.keyspace.partition(ofUser: "lou"), user: "lou")).string?.contains("hard_bounce") == true
        })
        try await fleet.produce(connection, [Self.order("lou", "o-lou-2")])
        let delivered = try await eventually(timeout: 30) {
            let statuses = try await fleet.deliveries(connection).map { "\($0["channel"] ?? ""):\($0["status"] ?? "")" }
            return statuses.filter { $0 == "email:sent" }.count == 5 && statuses.filter { $0 == "webhook:sent" }.count == 5
                && statuses.contains("sms:suppressed")
        }
        let statuses = try await fleet.deliveries(connection).map { "\($0["channel"] ?? ""):\($0["status"] ?? "")" }
        #expect(delivered, "\(statuses)")
        let drained = try await eventually(timeout: 20) { try await fleet.drained(connection) }
        let left = try await fleet.undrained(connection) ?? ""
        #expect(drained, "\(left)")
        let drainedAt = Date().timeIntervalSince1970
        // Every sampler has sampled since everything drained.
        #expect(try await eventually(timeout: 10) {
            ports.values.allSatisfy { port in
                let text = LoopbackHTTP.get(port: port, "/metrics")?.body ?? ""
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("herald_stream_sample_timestamp_seconds ") }) else {
                    return !text.contains("# TYPE herald_stream_sample_timestamp_seconds")
                }
                return (Double(line.split(separator: " ").last ?? "") ?? 0) > drainedAt
            }
        })

        var parsed: [String: [String: PrometheusParser.Family]] = [:]
        for (name, port) in ports {
            let response = try #require(LoopbackHTTP.get(port: port, "/metrics"), "\(name) /metrics")
            #expect(response.status == 200)
            parsed[name] = try PrometheusParser.parse(response.body)
            // And Prometheus's own linter: HELP and TYPE, counter names, histogram shape.
            let lint = try Promtool.run(["check", "metrics"], input: response.body)
            #expect(lint.status == 0, "promtool check metrics on \(name): \(lint.output)")
        }
        for (name, families) in parsed {
            let info = try #require(families["herald_build_info"]?.samples.first, "\(name) has no herald_build_info")
            #expect(info.labels["service"] == name && info.labels["version"] == HeraldBuild.version && info.value == 1)
            #expect(Self.sum(families, "process_cpu_seconds_total") > 0, "\(name)")
            #expect(Self.sum(families, "process_resident_memory_bytes") > 1_000_000, "\(name)")
            #expect(Self.sum(families, "process_open_fds") >= 3, "\(name)")
            let start = Self.sum(families, "process_start_time_seconds")
            #expect(start >= started - 5 && start <= Date().timeIntervalSince1970, "\(name) start time \(start)")
            for family in families.values {
                #expect(["counter", "gauge", "histogram"].contains(family.type), "\(name) \(family.name) is \(family.type)")
                #expect(MetricFamily.all.contains { $0.name == family.name || $0.name == family.name + "_total" }, "\(name) exports undeclared \(family.name)")
            }
            // Histograms: cumulative buckets, +Inf equal to the count.
            for family in families.values where family.type == "histogram" {
                let series = Dictionary(grouping: family.samples.filter { $0.name.hasSuffix("_bucket") }) { $0.labels.filter { $0.key != "le" } }
                for (labels, buckets) in series {
                    let counts = buckets.sorted { (Double($0.labels["le"]!) ?? .infinity) < (Double($1.labels["le"]!) ?? .infinity) }.map(\.value)
                    #expect(counts == counts.sorted(), "\(family.name) \(labels) buckets are not cumulative")
                    #expect(buckets.first { $0.labels["le"] == "+Inf" }?.value == Self.sum(families, family.name + "_count", labels), "\(family.name) \(labels)")
                }
            }
        }

        // Streams: every group has caught up and acknowledged everything.
        let evaluator = try #require(parsed["herald-evaluator"])
        for partition in fleet.keyspace.allPartitions {
            let labels = ["stream": fleet.keyspace.events(partition).rawValue, "group": fleet.keyspace.evaluatorGroup]
            #expect(Self.family(evaluator, .streamLag)?.samples.contains { $0.labels == labels && $0.value == 0 } == true, "lag of \(labels)")
            #expect(Self.family(evaluator, .streamPending)?.samples.contains { $0.labels == labels && $0.value == 0 } == true, "pending of \(labels)")
            #expect(Self.family(evaluator, .streamOldestPendingAge)?.samples.contains { $0.labels == labels && $0.value == 0 } == true)
        }
        // One evaluator holds every partition.
        #expect(Self.sum(evaluator, "herald_partition_lease_owned") == Double(fleet.keyspace.partitions))
        #expect(Self.sum(try #require(parsed["herald-ingestor"]), "herald_stream_pending", ["stream": fleet.keyspace.ingest.rawValue]) == 0)

        // Provider calls counted = sends made.
        let email = try #require(parsed["herald-email-sender"])
        #expect(Self.sum(email, "herald_provider_calls_total", ["provider": "outbox", "channel": "email", "outcome": "sent", "code_class": "local"]) == Double(fleet.emails().count))
        #expect(fleet.emails().count == 5)
        #expect(Self.sum(email, "herald_send_latency_seconds_count", ["channel": "email"]) == 5)
        #expect(Self.sum(email, "herald_sender_info", ["channel": "email", "delivery": "local"]) == 1)
        #expect(Self.sum(email, "herald_stream_pending", ["group": fleet.keyspace.senderGroup(.email)]) == 0)
        #expect(Self.family(email, .streamLag)?.samples.count == fleet.keyspace.partitions)

        let webhook = try #require(parsed["herald-webhook-sender"])
        let answered = try hooks.records().map { $0["answered"]?.numberValue ?? 0 }
        #expect(Self.sum(webhook, "herald_provider_calls_total", ["provider": "webhook", "outcome": "retryable", "code_class": "http_5xx"]) == Double(answered.filter { $0 == 503 }.count))
        #expect(Self.sum(webhook, "herald_provider_calls_total", ["provider": "webhook", "outcome": "sent", "code_class": "http_2xx"]) == Double(answered.filter { $0 == 204 }.count))
        #expect(answered.filter { $0 == 204 }.count == 5)
        #expect(Self.sum(webhook, "herald_send_retries_total", ["channel": "webhook", "reason": "http_5xx"]) == 5)
        #expect(Self.sum(webhook, "herald_sender_info", ["delivery": "external"]) == 1)

        let sms = try #require(parsed["herald-sms-sender"])
        #expect(Self.sum(sms, "herald_provider_calls_total", ["provider": "twilio", "outcome": "sent", "code_class": "http_2xx"]) == 3)
        #expect(Self.sum(sms, "herald_provider_calls_total", ["provider": "twilio", "outcome": "invalid_recipient", "code_class": "http_4xx"]) == 1)
        #expect(Double(try twilio.records().count) == Self.sum(sms, "herald_provider_calls_total", ["provider": "twilio"]))
        #expect(Self.sum(sms, "herald_dead_letters_total", ["reason": "invalid_recipient"]) == 1)
        #expect(Self.sum(sms, "herald_suppressions_total", ["channel": "sms", "reason": "hard_bounce"]) == 1)
        #expect(Self.sum(sms, "herald_provider_call_seconds_count", ["provider": "twilio"]) == 4)

        // The webhook retries went through the scheduler's timers.
        let scheduler = try #require(parsed["herald-scheduler"])
        #expect(Self.sum(scheduler, "herald_timer_lateness_seconds_count") >= 5)
        #expect(Self.family(scheduler, .timersPending)?.samples.count == fleet.keyspace.partitions)
        #expect(Self.sum(scheduler, "herald_timers_pending") == 0)

        // Logs: JSON lines with the ids to act on, never a configured secret.
        let logs = Dictionary(uniqueKeysWithValues: fleet.processes.map { ($0.name, $0.log) })
        _ = fleet.stopAll()
        for (name, log) in logs {
            for secret in [Self.twilioToken, Self.unsubscribeSecret, ProviderEndToEndTests.secret, String(ProviderEndToEndTests.secret.dropFirst(6))] {
                #expect(!log.contains(secret), "\(name) logged a secret")
            }
            for line in log.split(separator: "\n") {
                #expect((try? JSONValue.parse(String(line)))?.objectValue != nil, "\(name) wrote a line that is not JSON: \(line)")
            }
        }
        func lines(_ name: String, _ message: String) -> [JSONValue] {
            (logs[name] ?? "").split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }.filter { $0["msg"]?.stringValue == message }
        }
        let retries = lines("herald-webhook-sender", "provider call failed; retrying")
        #expect(retries.count == 5)
        for line in retries {
            #expect(line["level"]?.stringValue == "warning")
            #expect(line["journey"]?.stringValue == "test-hook" && line["step"]?.stringValue == "notify" && line["provider"]?.stringValue == "webhook")
            #expect(line["user"]?.stringValue.map(users.keys.contains) == true && line["key"]?.stringValue?.isEmpty == false)
            #expect(line["error"]?.stringValue?.contains("HTTP 503") == true, "\(line)")
        }
        let dead = try #require(lines("herald-sms-sender", "provider call failed for good; dead-lettered").first)
        #expect(dead["level"]?.stringValue == "error" && dead["user"]?.stringValue == "lou" && dead["journey"]?.stringValue == "test-sms")
        #expect(dead["step"]?.stringValue == "text" && dead["provider"]?.stringValue == "twilio" && dead["reason"]?.stringValue == "invalid_recipient")
        #expect(dead["error"]?.stringValue?.contains("21211") == true && dead["key"]?.stringValue?.isEmpty == false, "\(dead)")
        let suppressed = try #require(lines("herald-sms-sender", "not sent: suppressed").first)
        #expect(suppressed["level"]?.stringValue == "info" && suppressed["user"]?.stringValue == "lou" && suppressed["reason"]?.stringValue == "hard_bounce")
        #expect(suppressed["journey"]?.stringValue == "test-sms" && suppressed["key"]?.stringValue?.isEmpty == false)
        let local = try #require(lines("herald-email-sender", "no provider credentials: messages are written to the outbox directory, not sent").first)
        #expect(local["level"]?.stringValue == "warning" && local["channel"]?.stringValue == "email")
    }
}
