import Foundation
import HeraldCore
import Testing

/// The one parser of Herald's environment: typed values, errors naming the variable, unknown
/// names with a suggestion, and the forms a variable may be set under.
@Suite struct ConfigurationCatalogueTests {
    let herald = ConfigurationCatalogue.herald

    @Test func aBadIntegerIsAnErrorNamingTheVariableTheValueAndWhatWasExpected() {
        #expect(throws: FleetConfigurationError.invalid(variable: "HERALD_BATCH_SIZE", value: "12x", expected: "an integer ≥ 1")) {
            try FleetConfiguration(environment: ["HERALD_BATCH_SIZE": "12x"])
        }
        // Once silently ignored (the worker kept its default); now out of range.
        #expect(throws: FleetConfigurationError.invalid(variable: "HERALD_BLOCK_MS", value: "0", expected: "an integer ≥ 1 (ms)")) {
            try herald.validate(["HERALD_BLOCK_MS": "0"])
        }
        #expect(throws: FleetConfigurationError.invalid(variable: "HERALD_EDGE_THREADS", value: "65", expected: "an integer from 1 to 64")) {
            try herald.validate(["HERALD_EDGE_THREADS": "65"])
        }
        let error = #expect(throws: FleetConfigurationError.self) { try herald.validate(["HERALD_PARTITIONS": "sixteen"]) }
        #expect(error?.description == "HERALD_PARTITIONS=sixteen is invalid: expected an integer ≥ 1", "\(String(describing: error))")
    }

    @Test func aValidConfigurationReadsAsBefore() throws {
        let configuration = try FleetConfiguration(environment: [
            "HERALD_PARTITIONS": "8", "HERALD_INGEST_SHARDS": "3", "HERALD_PREFIX": "", "HERALD_CONCURRENCY": "4", "HERALD_METRICS_PORT": "9090",
            "HERALD_BATCH_SIZE": "", "REDIS_URL": "redis://127.0.0.1:6390",
        ])
        #expect(configuration.keyspace.partitions == 8 && configuration.keyspace.ingestShards == 3 && configuration.keyspace.prefix == "herald")
        #expect(configuration.concurrency == 4 && configuration.metricsPort == 9090)
        let options = try StreamWorkerOptions(group: "g", consumer: "c", deadLetter: RedisKey("dl"))
            .applyingEnvironment(["HERALD_BATCH_SIZE": "8", "HERALD_REPLICA_ACKS": "0", "HERALD_DEAD_LETTER_MAX_AGE_MS": "3600000"])
        #expect(options.batchSize == 8 && options.replicaAcks == 0 && options.deadLetterMaxAgeMilliseconds == 3_600_000)
    }

    @Test func aBooleanIsTrueFalseOneOrZeroAndATypoIsAnError() throws {
        let catalogue = ConfigurationCatalogue([
            ConfigurationVariable("HERALD_TEST_FLAG", .tooling, processes: [], kind: .boolean, default: "false", "a flag for this test")
        ])
        for (text, value) in [("true", true), ("1", true), ("false", false), ("0", false)] {
            #expect(try catalogue.boolean("HERALD_TEST_FLAG", in: ["HERALD_TEST_FLAG": text]) == value, "\(text)")
        }
        #expect(try catalogue.boolean("HERALD_TEST_FLAG", in: [:]) == nil)
        for typo in ["ture", "yes", "TRUE ", "on"] {
            #expect(throws: FleetConfigurationError.invalid(variable: "HERALD_TEST_FLAG", value: typo, expected: "true, false, 1 or 0")) {
                try catalogue.validate(["HERALD_TEST_FLAG": typo])
            }
        }
    }

    @Test func aChoiceIsOneOfItsValuesAndATypoNoLongerPassesAsTheDefault() throws {
        // HERALD_CAP_OVERFLOW was compared to "defer": "deferr" used to mean drop.
        #expect(throws: FleetConfigurationError.invalid(variable: "HERALD_CAP_OVERFLOW", value: "deferr", expected: "one of drop, defer")) {
            try herald.validate(["HERALD_CAP_OVERFLOW": "deferr"])
        }
        #expect(try FleetConfiguration.text("HERALD_CAP_OVERFLOW", in: ["HERALD_CAP_OVERFLOW": "defer"]) == "defer")
        #expect(try FleetConfiguration.text("HERALD_LOG_LEVEL", in: ["HERALD_LOG_LEVEL": "WARNING"]) == "warning")
        #expect(try FleetConfiguration.text("HERALD_SMTP_SECURITY", in: ["HERALD_SMTP_SECURITY": "implicittls"]) == "implicitTLS")
        #expect(throws: FleetConfigurationError.self) { try herald.validate(["HERALD_EMAIL_PROVIDER": "twilio"]) }
        #expect(throws: FleetConfigurationError.self) { try herald.validate(["HERALD_WEBHOOK_URL": "not a url"]) }
        // A misspelt zone once went unnoticed until quiet hours were turned on.
        #expect(throws: FleetConfigurationError.invalid(variable: "HERALD_TIME_ZONE", value: "Europe/Berlinn", expected: "an IANA time zone, e.g. Europe/Berlin")) {
            try herald.validate(["HERALD_TIME_ZONE": "Europe/Berlinn"])
        }
        try herald.validate(["HERALD_TIME_ZONE": "Asia/Kolkata", "HERALD_CAP_OVERFLOW": "drop"])
    }

    @Test func anUnknownHeraldVariableIsAnErrorSuggestingTheClosestName() {
        #expect(throws: FleetConfigurationError.unknown(variable: "HERALD_BACTH_SIZE", suggestion: "HERALD_BATCH_SIZE")) {
            try FleetConfiguration(environment: ["HERALD_BACTH_SIZE": "8"])
        }
        #expect(throws: FleetConfigurationError.unknown(variable: "HERALD_UNSUBSCRIBE_SECRET_FIEL", suggestion: "HERALD_UNSUBSCRIBE_SECRET_FILE")) {
            try herald.validate(["HERALD_UNSUBSCRIBE_SECRET_FIEL": "/run/secrets/x"])
        }
        let error = #expect(throws: FleetConfigurationError.self) { try herald.validate(["HERALD_PARTITION": "16"]) }
        #expect(error?.description == "HERALD_PARTITION is not a Herald variable (did you mean HERALD_PARTITIONS?); docs/configuration.md lists every one")
        // Nothing near it: no suggestion, still an error.
        #expect(herald.suggestion(for: "HERALD_ZZZZZZZZZZZZZZZZZZZZZZZZZZ") == nil)
        #expect(throws: FleetConfigurationError.unknown(variable: "HERALD_ZZZZZZZZZZZZZZZZZZZZZZZZZZ", suggestion: nil)) {
            try herald.validate(["HERALD_ZZZZZZZZZZZZZZZZZZZZZZZZZZ": "1"])
        }
        // REDIS_* is shared with other tools; only HERALD_* names are Herald's to police.
        #expect(throws: Never.self) { try herald.validate(["REDIS_HOST_FOR_SOMETHING_ELSE": "x"]) }
        #expect(ConfigurationCatalogue.editDistance("kitten", "sitting") == 3)
    }

    @Test func everyFormOfAVariableIsKnownAndASecretsValueIsNeverParsed() throws {
        try herald.validate([
            "HERALD_UNSUBSCRIBE_SECRET_FILE": "/run/secrets/unsubscribe", "HERALD_UNSUBSCRIBE_SECRETS": "a,b",
            "HERALD_EDGE_LINK_SECRETS_FILE": "/x", "HERALD_WEBHOOK_SECONDARY_SECRET_FILE": "/y", "HERALD_WEBHOOK_SECONDARY_URL": "https://h.example/hook",
            "HERALD_SMTP_SECONDARY_PORT": "2525", "HERALD_TWILIO_SECONDARY_ACCOUNT_SID": "AC1", "HERALD_EDGE_WRITE_KEYS": "not|checked here",
        ])
        // A secondary setting is parsed as its primary's and named as set.
        #expect(throws: FleetConfigurationError.invalid(variable: "HERALD_SMTP_SECONDARY_PORT", value: "99999", expected: "an integer from 1 to 65535 (port)")) {
            try herald.validate(["HERALD_SMTP_SECONDARY_PORT": "99999"])
        }
        // A form the variable does not have is not a name.
        #expect(herald.resolve("HERALD_BATCH_SIZE_FILE") == nil)
        #expect(herald.resolve("HERALD_PREFIXS") == nil)
        #expect(herald.resolve("HERALD_SMTP_SECONDARY_URL_FILE")?.variable.name == "HERALD_SMTP_URL")
    }

    @Test func theTableIsConsistent() {
        let names = herald.variables.map(\.name)
        #expect(Set(names).count == names.count, "duplicate names")
        for variable in herald.variables {
            #expect(!variable.summary.isEmpty && !variable.defaultValue.isEmpty, "\(variable.name)")
            #expect(variable.name.hasPrefix("HERALD_") || variable.name.hasPrefix("REDIS_"), "\(variable.name)")
            if variable.section == .tooling { #expect(variable.processes.isEmpty, "\(variable.name)") } else { #expect(!variable.processes.isEmpty, "\(variable.name)") }
        }
        #expect(herald.variables(readBy: .edge).contains { $0.name == "HERALD_EDGE_PORT" })
        #expect(!herald.variables(readBy: .scheduler).contains { $0.name == "HERALD_EDGE_PORT" })
    }
}
