import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import Testing

/// Each process's one typed configuration: its defaults are the table's, a variable overrides its
/// own setting, a bad value is an error naming the variable, and every variable a configuration
/// reads is one the table lists for that executable.
@Suite struct ProcessConfigurationTests {
    let herald = ConfigurationCatalogue.herald

    /// The table's default of `name` as an integer (the one place defaults live).
    func tableDefault(_ name: String) -> Int? { herald.variable(name)?.defaultSetting.flatMap { Int($0) } }

    func expectInvalid(_ variable: String, _ build: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try build()
            Issue.record("\(variable) was accepted", sourceLocation: sourceLocation)
        } catch let error as FleetConfigurationError {
            guard case .invalid(let named, _, _) = error else {
                Issue.record("\(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(named == variable, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix(variable + "="), sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a configuration error: \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Evaluator

    @Test func theEvaluatorsDefaultsAreTheTables() throws {
        let configuration = try EvaluatorConfiguration(environment: [:])
        #expect(configuration.leaseMilliseconds == 10_000 && tableDefault("HERALD_LEASE_MS") == 10_000)
        #expect(configuration.trailRetention == TrailRetention(maxLength: 200, maxAgeMilliseconds: 90 * 86_400_000))
        #expect(configuration.appliedRetention.windowMilliseconds == 900_000)
        #expect(configuration.deliveries.maxLength == 1_000_000)
        #expect(configuration.userInactivityMilliseconds == 365 * 86_400_000)
        #expect(configuration.inactivitySweepInterval == .seconds(60))
        #expect(configuration.fleet.concurrency == 1 && configuration.fleet.keyspace.partitions == 16 && configuration.fleet.keyspace.prefix == "herald")
        #expect(configuration.fleet.metricsInterval == .seconds(5))
        #expect(configuration.workers == StreamWorkerSettings.standard && configuration.workers.claimMinIdleMilliseconds == 30_000)
        let options = configuration.workers.options(group: "g", index: 0, keyspace: configuration.fleet.keyspace)
        #expect(options.batchSize == 256 && options.blockMilliseconds == 1000 && options.claimInterval == .seconds(5))
        #expect(options.maxDeliveries == 5 && options.deadLetterMaxAgeMilliseconds == 30 * 86_400_000 && options.replicaAcks == 0)
    }

    @Test func eachEvaluatorVariableOverridesItsOwnSetting() throws {
        let configuration = try EvaluatorConfiguration(environment: [
            "HERALD_LEASE_MS": "2500", "HERALD_USER_INACTIVITY_MS": "0", "HERALD_USER_INACTIVITY_SWEEP_MS": "1500",
            "HERALD_CONCURRENCY": "3", "HERALD_CLAIM_IDLE_MS": "1000", "HERALD_APPLIED_WINDOW_MS": "2000", "HERALD_TRAIL_MAX": "7",
            "HERALD_DELIVERIES_MAX": "50", "HERALD_BATCH_SIZE": "9",
        ])
        #expect(configuration.leaseMilliseconds == 2500 && configuration.userInactivityMilliseconds == 0)
        #expect(configuration.inactivitySweepInterval == .milliseconds(1500) && configuration.fleet.concurrency == 3)
        #expect(configuration.appliedRetention.windowMilliseconds == 2000 && configuration.trailRetention.maxLength == 7)
        #expect(configuration.trailRetention.maxAgeMilliseconds == 90 * 86_400_000 && configuration.deliveries.maxLength == 50)
        let options = configuration.workers.options(group: "g", index: 1, keyspace: configuration.fleet.keyspace)
        #expect(options.batchSize == 9 && options.claimMinIdleMilliseconds == 1000 && options.blockMilliseconds == 1000)
    }

    @Test func aBadEvaluatorValueIsAnErrorNamingTheVariable() {
        expectInvalid("HERALD_USER_INACTIVITY_SWEEP_MS") { _ = try EvaluatorConfiguration(environment: ["HERALD_USER_INACTIVITY_SWEEP_MS": "soon"]) }
        expectInvalid("HERALD_LEASE_MS") { _ = try EvaluatorConfiguration(environment: ["HERALD_LEASE_MS": "0"]) }
        // Checked against the configuration's own claim idle time, not the default's.
        expectInvalid("HERALD_APPLIED_WINDOW_MS") {
            _ = try EvaluatorConfiguration(environment: ["HERALD_CLAIM_IDLE_MS": "60000", "HERALD_APPLIED_WINDOW_MS": "45000"])
        }
    }

    // MARK: Ingestor

    @Test func theIngestorsDefaultsAreTheTables() throws {
        let configuration = try IngestorConfiguration(environment: [:])
        #expect(configuration.leaseMilliseconds == 10_000)
        #expect(configuration.dedupeWindowMilliseconds == 86_400_000 && configuration.dedupeCapacity == 100_000)
        #expect(configuration.rejectedRetention == StreamRetention(stream: configuration.fleet.keyspace.rejected, maxLength: 100_000, maxAgeMilliseconds: 7 * 86_400_000))
        // The ingestor runs one loop: HERALD_CONCURRENCY is not its variable.
        #expect(try IngestorConfiguration(environment: ["HERALD_CONCURRENCY": "4"]).fleet.concurrency == 1)
    }

    @Test func eachIngestorVariableOverridesItsOwnSetting() throws {
        let configuration = try IngestorConfiguration(environment: [
            "HERALD_DEDUPE_WINDOW_MS": "60000", "HERALD_DEDUPE_CAPACITY": "12", "HERALD_REJECTED_MAX": "30", "HERALD_PREFIX": "t",
        ])
        #expect(configuration.dedupeWindowMilliseconds == 60_000 && configuration.dedupeCapacity == 12)
        #expect(configuration.rejectedRetention.maxLength == 30 && configuration.rejectedRetention.maxAgeMilliseconds == 7 * 86_400_000)
        #expect(configuration.rejectedRetention.stream == Keyspace(prefix: "t").rejected)
    }

    @Test func aBadIngestorValueIsAnErrorNamingTheVariable() {
        expectInvalid("HERALD_DEDUPE_CAPACITY") { _ = try IngestorConfiguration(environment: ["HERALD_DEDUPE_CAPACITY": "many"]) }
        expectInvalid("HERALD_REJECTED_MAX_AGE_MS") { _ = try IngestorConfiguration(environment: ["HERALD_REJECTED_MAX_AGE_MS": "-1"]) }
    }

    // MARK: Scheduler

    @Test func theSchedulersDefaultsOverridesAndBadValues() throws {
        let standard = try SchedulerConfiguration(environment: [:])
        #expect(standard.fleet.metricsInterval == .seconds(5) && standard.fleet.metricsPort == nil && standard.fleet.keyspace.ingestShards == 1)
        let set = try SchedulerConfiguration(environment: ["HERALD_METRICS_INTERVAL_MS": "250", "HERALD_METRICS_PORT": "9100", "HERALD_PARTITIONS": "4"])
        #expect(set.fleet.metricsInterval == .milliseconds(250) && set.fleet.metricsPort == 9100 && set.fleet.keyspace.partitions == 4)
        expectInvalid("HERALD_METRICS_INTERVAL_MS") { _ = try SchedulerConfiguration(environment: ["HERALD_METRICS_INTERVAL_MS": "0"]) }
        #expect(throws: FleetConfigurationError.unknown(variable: "HERALD_PARTITION", suggestion: "HERALD_PARTITIONS")) {
            try SchedulerConfiguration(environment: ["HERALD_PARTITION": "4"])
        }
    }

    // MARK: Senders

    @Test func aSendersDefaultsAreTheTables() throws {
        let configuration = try SenderProcessConfiguration(channel: .email, environment: [:])
        #expect(configuration.sendConcurrency == 32 && configuration.brandName == "Herald Shop")
        #expect(configuration.unsubscribeURL == "https://example.com/unsubscribe" && configuration.configDirectory.lastPathComponent == "config")
        #expect(configuration.retry == RetryPolicy(baseDelay: 2, maxDelay: 3600, maxAttempts: 8))
        #expect(configuration.policy == DeliveryPolicy() && configuration.quietHours == nil && configuration.frequencyCaps == nil)
        #expect(configuration.trailRetention == .standard && configuration.deliveries == .standard)
        #expect(configuration.trackingBaseURL == nil && configuration.webhookURL == nil)
        // Senders read 128 entries at a time unless HERALD_BATCH_SIZE says otherwise.
        #expect(configuration.workerOptions(index: 0).batchSize == 128)
        let policy = try configuration.idempotencyPolicy(providerTimeout: 10)
        #expect(policy.lease == IdempotencyPolicy.defaultLease(providerTimeout: 10) && policy.unknownRetention == 30 * 86_400)
        #expect(policy.uncertain == UncertainSendPolicies())
        #expect(policy.sentRetention == IdempotencyPolicy.derivedSentRetention(claimIdle: 30, claimInterval: 5, maxDeliveries: 5, lease: policy.lease))
    }

    @Test func eachSenderVariableOverridesItsOwnSetting() throws {
        let configuration = try SenderProcessConfiguration(channel: .email, environment: [
            "HERALD_SEND_CONCURRENCY": "4", "HERALD_RETRY_BASE_MS": "500", "HERALD_CAP_OVERFLOW": "DEFER", "HERALD_QUIET_HOURS": "21:00-08:00",
            "HERALD_BATCH_SIZE": "16", "HERALD_CLAIM_LEASE_MS": "45000", "HERALD_SENT_RETENTION_MS": "3600000",
            "HERALD_UNCERTAIN_SENDS": "transactional=park,marketing=park", "HERALD_EDGE_PUBLIC_URL": "https://edge.example.com",
            "HERALD_BRAND_NAME": "Acme", "HERALD_WEBHOOK_URL": "https://hooks.example.com",
        ])
        #expect(configuration.sendConcurrency == 4 && configuration.retry.baseDelay == 0.5 && configuration.retry.maxDelay == 3600)
        #expect(configuration.policy.capOverflow == .deferUntilFree && configuration.policy.quietHours != nil && configuration.quietHours == "21:00-08:00")
        #expect(configuration.workerOptions(index: 0).batchSize == 16 && configuration.brandName == "Acme")
        #expect(configuration.trackingBaseURL == "https://edge.example.com")
        // HERALD_WEBHOOK_URL is the webhook sender's.
        #expect(configuration.webhookURL == nil)
        #expect(try SenderProcessConfiguration(channel: .webhook, environment: ["HERALD_WEBHOOK_URL": "https://hooks.example.com"]).webhookURL == "https://hooks.example.com")
        let policy = try configuration.idempotencyPolicy(providerTimeout: 10)
        #expect(policy.lease == 45 && policy.sentRetention == 3600 && policy.uncertain.transactional == .park)
    }

    @Test func aBadSenderValueIsAnErrorNamingTheVariable() throws {
        expectInvalid("HERALD_CAP_OVERFLOW") { _ = try SenderProcessConfiguration(channel: .sms, environment: ["HERALD_CAP_OVERFLOW": "deferr"]) }
        expectInvalid("HERALD_UNCERTAIN_SENDS") { _ = try SenderProcessConfiguration(channel: .sms, environment: ["HERALD_UNCERTAIN_SENDS": "transactional=maybe"]) }
        expectInvalid("HERALD_RETRY_MAX_ATTEMPTS") { _ = try SenderProcessConfiguration(channel: .push, environment: ["HERALD_RETRY_MAX_ATTEMPTS": "-2"]) }
        // A lease no longer than the provider's call lets a second sender take over a call in flight.
        let short = try SenderProcessConfiguration(channel: .email, environment: ["HERALD_CLAIM_LEASE_MS": "5000"])
        expectInvalid("HERALD_CLAIM_LEASE_MS") { _ = try short.idempotencyPolicy(providerTimeout: 10) }
    }

    // MARK: Edge and heraldctl

    @Test func theEdgesDefaultsOverridesAndBadValues() throws {
        let standard = try EdgeConfiguration(environment: [:])
        #expect(standard.host == "0.0.0.0" && standard.port == 8080 && standard.readinessGrace == .zero)
        #expect(standard.limits == HTTPServerLimits(maximumBodyBytes: 1 << 20, maximumHeaderBytes: 16 * 1024, idleTimeout: .seconds(10)))
        #expect(standard.dedupeWindowMilliseconds == 86_400_000 && standard.rejectedRetention.maxLength == 100_000)
        let set = try EdgeConfiguration(environment: ["HERALD_EDGE_PORT": "0", "HERALD_EDGE_THREADS": "4", "HERALD_EDGE_READINESS_GRACE_MS": "300"])
        #expect(set.port == 0 && set.limits.threads == 4 && set.readinessGrace == .milliseconds(300) && set.limits.maximumConnections == 1000)
        expectInvalid("HERALD_EDGE_THREADS") { _ = try EdgeConfiguration(environment: ["HERALD_EDGE_THREADS": "65"]) }
    }

    @Test func heraldctlsDefaultsOverridesAndBadValues() throws {
        let standard = try HeraldCtlConfiguration(environment: [:])
        #expect(standard.brandName == "Herald Shop" && standard.configDirectory == nil)
        let set = try HeraldCtlConfiguration(environment: ["HERALD_BRAND_NAME": "Acme", "HERALD_CONFIG_DIR": "/srv/herald"])
        #expect(set.brandName == "Acme" && set.configDirectory == "/srv/herald")
        expectInvalid("HERALD_PARTITIONS") { _ = try HeraldCtlConfiguration(environment: ["HERALD_PARTITIONS": "0"]) }
    }

    // MARK: The table's readers

    /// Every executable's configuration, read from `environment` through a reader for it.
    func readers(_ environment: [String: String]) throws -> [ConfigurationReader] {
        func reader(_ executable: HeraldExecutable) -> ConfigurationReader { ConfigurationReader(environment: environment, executable: executable) }
        var readers: [ConfigurationReader] = []
        var next = reader(.evaluator)
        _ = try EvaluatorConfiguration(reader: next)
        readers.append(next)
        next = reader(.ingestor)
        _ = try IngestorConfiguration(reader: next)
        readers.append(next)
        next = reader(.scheduler)
        _ = try SchedulerConfiguration(reader: next)
        readers.append(next)
        next = reader(.edge)
        _ = try EdgeConfiguration(reader: next)
        readers.append(next)
        next = reader(.ctl)
        _ = try HeraldCtlConfiguration(reader: next)
        readers.append(next)
        for channel in Channel.allCases {
            next = reader(.sender(channel))
            _ = try SenderProcessConfiguration(channel: channel, reader: next)
            readers.append(next)
        }
        return readers
    }

    @Test func everyVariableAConfigurationReadsIsOneTheTableListsForItsExecutable() throws {
        // Unset, and set to values that take the other branches (tracking's fallback, the quiet hours).
        let environments: [[String: String]] = [
            [:], ["HERALD_TRACKING_URL": "https://t.example.com", "HERALD_QUIET_HOURS": "22:00-07:00", "HERALD_METRICS_PORT": "9100"],
        ]
        for environment in environments {
            for reader in try readers(environment) {
                let executable = try #require(reader.executable)
                #expect(reader.namesRead.count >= 5, "\(executable) read \(reader.namesRead)")
                for name in reader.namesRead {
                    let variable = herald.variable(name)
                    #expect(variable != nil, "\(executable) reads \(name), which is not in ConfigurationCatalogue")
                    #expect(variable?.processes.contains(executable) == true, "\(executable) reads \(name), but the table does not list it as a reader")
                }
            }
        }
        // And the table does not list what no configuration reads, for the variables the
        // configurations own (providers' credentials and the edge's routes read theirs elsewhere).
        let read = try readers([:])
        let evaluator = Set(read[0].namesRead)
        for name in ["HERALD_LEASE_MS", "HERALD_APPLIED_WINDOW_MS", "HERALD_USER_INACTIVITY_MS", "HERALD_CONCURRENCY", "HERALD_DELIVERIES_MAX"] {
            #expect(evaluator.contains(name), "the evaluator's configuration reads \(name)")
        }
        for variable in herald.variables where variable.section == .workers || variable.section == .ingestAndEvaluate {
            for executable in variable.processes where executable != .bench {
                let reader = try #require(read.first { $0.executable == executable })
                #expect(reader.namesRead.contains(variable.name), "the table lists \(executable) as reading \(variable.name); its configuration does not")
            }
        }
    }

    @Test func everyNumericDefaultTheTableDocumentsIsAValue() {
        for variable in herald.variables where variable.processes.isEmpty == false {
            // A default written as a number (`16`, `2592000000 (30 days)`), not a rule (`2 × provider timeout …`).
            let value = variable.defaultValue.split(separator: " (", maxSplits: 1).first.map(String.init) ?? ""
            guard case .integer = variable.kind, !value.isEmpty, value.allSatisfy(\.isNumber) else { continue }
            #expect(variable.defaultSetting != nil, "\(variable.name)'s default \(variable.defaultValue) does not read as its kind")
        }
        #expect(herald.variable("HERALD_METRICS_PORT")?.defaultSetting == nil)
        #expect(herald.variable("HERALD_SENT_RETENTION_MS")?.defaultSetting == nil)
        #expect(herald.variable("HERALD_TRACKING_URL")?.defaultSetting == nil)
        #expect(herald.variable("HERALD_BRAND_NAME")?.defaultSetting == "Herald Shop")
        #expect(herald.variable("HERALD_BATCH_SIZE")?.defaultSetting == "256")
    }
}
