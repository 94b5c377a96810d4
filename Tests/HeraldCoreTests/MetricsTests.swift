import Foundation
import HeraldCore
import Testing

/// The Prometheus text format as Herald writes it; `MetricsExpositionTests` runs a real parser
/// (prometheus_client) over every process's output.
struct MetricsTests {
    static let calls = MetricFamily("t_calls_total", .counter, help: "Calls \\ with a\nnewline", labels: ["channel", "outcome"])
    static let depth = MetricFamily("t_depth", .gauge, help: "Depth")
    static let seconds = MetricFamily("t_seconds", .histogram(buckets: [0.1, 1, 2.5]), help: "Seconds", labels: ["channel"])

    @Test func countersAndGaugesHaveHelpTypeAndEscapedLabels() {
        let metrics = Metrics()
        metrics.increment(Self.calls, by: 2, ["channel": "email", "outcome": "say \"hi\"\\\n"])
        metrics.set(Self.depth, to: 1.5)
        let text = metrics.prometheusText()
        #expect(text.contains("# HELP t_calls_total Calls \\\\ with a\\nnewline\n# TYPE t_calls_total counter\n"))
        #expect(text.contains("t_calls_total{channel=\"email\",outcome=\"say \\\"hi\\\"\\\\\\n\"} 2\n"), "\(text)")
        #expect(text.contains("# HELP t_depth Depth\n# TYPE t_depth gauge\nt_depth 1.5\n"))
        #expect(metrics.value(Self.calls, ["channel": "email", "outcome": "say \"hi\"\\\n"]) == 2)
        #expect(text.hasSuffix("\n"))
    }

    @Test func histogramsAreCumulativeWithInfSumAndCount() {
        let metrics = Metrics()
        for value in [0.05, 0.5, 0.7, 3, 1] { metrics.observe(Self.seconds, value, ["channel": "sms"]) }
        let text = metrics.prometheusText()
        let expected = """
            # HELP t_seconds Seconds
            # TYPE t_seconds histogram
            t_seconds_bucket{channel="sms",le="0.1"} 1
            t_seconds_bucket{channel="sms",le="1"} 4
            t_seconds_bucket{channel="sms",le="2.5"} 4
            t_seconds_bucket{channel="sms",le="+Inf"} 5
            t_seconds_sum{channel="sms"} 5.25
            t_seconds_count{channel="sms"} 5

            """
        #expect(text == expected, "\(text)")
        #expect(metrics.observations(Self.seconds, ["channel": "sms"]) == 5)
    }

    @Test func registeredFamiliesAreListedBeforeUseAndUnlabelledOnesStartAtZero() {
        let metrics = Metrics()
        metrics.register([Self.depth, Self.calls, Self.seconds])
        let text = metrics.prometheusText()
        #expect(text.contains("# TYPE t_depth gauge\nt_depth 0\n"))
        #expect(text.contains("# TYPE t_calls_total counter\n# HELP t_depth"), "a labelled family has no series yet: \(text)")
        #expect(text.contains("# TYPE t_seconds histogram\n"))
    }

    @Test func retainDropsSeriesOfSubjectsThatWentAway() {
        let lag = MetricFamily("t_lag", .gauge, help: "Lag", labels: ["stream"])
        let metrics = Metrics()
        metrics.set(lag, to: 3, ["stream": "a"])
        metrics.set(lag, to: 4, ["stream": "b"])
        metrics.retain(lag, only: [["stream": "b"]])
        let text = metrics.prometheusText()
        #expect(!text.contains("stream=\"a\"") && text.contains("t_lag{stream=\"b\"} 4"))
    }

    @Test func everyHeraldFamilyIsDeclaredOnceWithAValidName() {
        var seen = Set<String>()
        for family in MetricFamily.all {
            #expect(seen.insert(family.name).inserted, "\(family.name) declared twice")
            #expect(family.name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "\(family.name)")
            #expect(!family.help.isEmpty)
            if family.kind == .counter { #expect(family.name.hasSuffix("_total"), "\(family.name)") }
            for label in family.labels { #expect(label != "le" && !label.hasPrefix("__"), "\(family.name) \(label)") }
        }
    }

    @Test func processMetricsComeFromProc() {
        let metrics = Metrics()
        ProcessMetrics.sample(into: metrics)
        #expect(metrics.value(.processResidentMemory) > 1_000_000)
        #expect(metrics.value(.processOpenFDs) >= 3)
        let start = metrics.value(.processStartTime)
        #expect(start > Date().timeIntervalSince1970 - 86_400 * 30 && start <= Date().timeIntervalSince1970 + 1)
        #expect(metrics.value(.processCPU) > 0)
    }
}
