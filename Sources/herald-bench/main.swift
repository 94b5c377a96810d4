import Foundation
import HeraldCore
import HeraldFleet

// Drives a running fleet (scripts/bench and scripts/bench-timers start it) and prints figures. Not a
// test: it prints figures.
//   herald-bench [--events N] [--users N] [--timeout S] [--run-label L] [--edge URL --write-key KEY]
//                [--pids NAME=PID,…] [--replicas N]
//       end to end: throughput, latency, and Redis's own pipelined XADD rate in the same run;
//       with --edge the track events go through herald-edge's Segment /v1/batch instead of XADD
//   herald-bench --rate R [--seconds S] …      the producer paced at R events/s: steady-rate latency
//   herald-bench --sweep R1,R2,…|auto [--seconds S] [--p99-bound-ms 25] …   rates in turn, and the knee
//   herald-bench timers [--phase timers|burst|instances] [--pending 1000000] [--burst 100000]
//                       [--probes 2000] [--live-probes 100] [--users 20000] [--replicas 1] [--results FILE]
//       timer lateness, burst firing rate, Redis memory per timer and per live instance
//   herald-bench failover --smtp-log FILE [--events N] [--users N] [--rate R] [--progress FILE]
//       a durable producer while scripts/chaos-cluster kills a master: orders lost, emails duplicated
let arguments = CommandLine.arguments
let usage = """
    usage: herald-bench [--events N] [--users N] [--timeout S] [--run-label L]
                        [--edge URL --write-key KEY [--batch 500] [--concurrency 8]]
                        [--pids NAME=PID,…] [--replicas N]
           herald-bench --rate R [--seconds 10] [--users N] [--pids NAME=PID,…] [--replicas N]
           herald-bench --sweep R1,R2,…|auto [--seconds 10] [--p99-bound-ms 25] [--sweep-start 1000] [--users N] …
           herald-bench timers [--phase timers|burst|instances] [--pending N] [--burst N] [--probes N]
                               [--live-probes N] [--users N] [--replicas N] [--results FILE] [--timeout S]
           herald-bench failover --smtp-log FILE [--events N] [--users N] [--rate R] [--progress FILE] [--timeout S]

    Drives a running fleet (scripts/bench and scripts/bench-timers start one) and prints figures:
    end-to-end events/s and XADD→send latency (all events at once, paced at R events/s, or a sweep
    of rates and its knee: the highest rate kept up with p99 under the bound), with CPU per event
    and peak memory of each process in --pids and of Redis, or timer lateness, burst firing rate and Redis memory
    per timer and per live instance, or what a Redis Cluster failover lost (scripts/chaos-cluster).
    Settings come from the environment, checked at start like every process's (docs/configuration.md):
    \(ConfigurationCatalogue.herald.helpLines(for: .bench))
    """
if FleetProcess.asksForHelp(Array(arguments.dropFirst())) {
    print(usage)
    exit(0)
}
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}
func text(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
do {
    let reader = ConfigurationReader(environment: ProcessInfo.processInfo.environment, executable: .bench)
    let configuration = try FleetConfiguration(reader: reader)
    if arguments.count > 1 && arguments[1] == "timers" {
        guard let phase = TimerBenchmarkPhase(rawValue: text("--phase") ?? "timers") else {
            FileHandle.standardError.write(Data("herald-bench: --phase must be one of \(TimerBenchmarkPhase.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        let benchmark = TimerBenchmark(
            keyspace: configuration.keyspace, redis: configuration.redis, pending: option("--pending", 1_000_000),
            burst: option("--burst", 100_000), probes: option("--probes", 2000), liveProbes: option("--live-probes", 100),
            users: option("--users", 20_000), replicas: option("--replicas", 1), timeout: .seconds(option("--timeout", 600)))
        let figures = try await benchmark.run(phase)
        let file = text("--results").map { URL(fileURLWithPath: $0) }
        var results = file.map { TimerBenchmarkResults(contentsOf: $0) } ?? TimerBenchmarkResults()
        results.values.merge(figures) { $1 }
        if let file { try results.write(to: file) }
        print(results.machineLine)
        exit(0)
    }
    if arguments.count > 1 && arguments[1] == "failover" {
        guard let log = text("--smtp-log") else {
            FileHandle.standardError.write(Data("herald-bench failover: --smtp-log FILE is required\n".utf8))
            exit(2)
        }
        let failover = FailoverBenchmark(
            keyspace: configuration.keyspace, redis: configuration.redis, events: option("--events", 6000), users: option("--users", 600),
            rate: option("--rate", 300), providerLog: URL(fileURLWithPath: log), progress: text("--progress").map { URL(fileURLWithPath: $0) },
            timeout: .seconds(option("--timeout", 300)))
        let acks = try reader.integer("HERALD_REPLICA_ACKS")
        print(try await failover.run(replicaAcks: acks).summary)
        exit(0)
    }
    var benchmark = Benchmark(
        keyspace: configuration.keyspace, redis: configuration.redis, events: option("--events", 100_000),
        users: option("--users", 10_000), timeout: .seconds(option("--timeout", 600)))
    benchmark.runLabel = text("--run-label") ?? ""
    benchmark.replicas = max(1, option("--replicas", 1))
    if let pids = text("--pids") {
        guard let processes = BenchmarkProcess.list(pids) else {
            FileHandle.standardError.write(Data("herald-bench: --pids wants NAME=PID,NAME=PID,…\n".utf8))
            exit(2)
        }
        benchmark.processes = processes
    }
    let seconds = option("--seconds", 10)
    if (arguments.contains("--rate") || arguments.contains("--sweep")) && arguments.contains("--edge") {
        FileHandle.standardError.write(Data("herald-bench: --rate and --sweep pace XADDs; they do not go through --edge\n".utf8))
        exit(2)
    }
    if let argument = text("--sweep") {
        guard var sweep = BenchmarkSweep(argument: argument, p99BoundMilliseconds: text("--p99-bound-ms").flatMap(Double.init) ?? 25) else {
            FileHandle.standardError.write(Data("herald-bench: --sweep wants R1,R2,… (positive events/s) or auto\n".utf8))
            exit(2)
        }
        sweep.start = option("--sweep-start", sweep.start)
        let reports = try await benchmark.sweep(sweep, seconds: seconds) { report in
            let passed = report.point.map(sweep.passes) ?? false
            FileHandle.standardOutput.write(Data((report.sweepLine(passed: passed) + "\n").utf8))
        }
        print(sweep.summary(reports.compactMap(\.point), replicas: benchmark.replicas))
        exit(0)
    }
    if arguments.contains("--rate") {
        let rate = option("--rate", 0)
        guard rate > 0, seconds > 0 else {
            FileHandle.standardError.write(Data("herald-bench: --rate and --seconds want positive integers\n".utf8))
            exit(2)
        }
        print(try await benchmark.run(pacing: BenchmarkPacing(rate: rate, seconds: seconds)).summary)
        exit(0)
    }
    if let edge = text("--edge") {
        guard let key = text("--write-key") else {
            FileHandle.standardError.write(Data("herald-bench: --edge needs --write-key KEY\n".utf8))
            exit(2)
        }
        benchmark.producer = .edge(url: edge, writeKey: key, batchSize: option("--batch", 500), concurrency: option("--concurrency", 8))
    }
    let report = try await benchmark.run()
    print(report.summary)
    exit(0)
} catch {
    FileHandle.standardError.write(Data("herald-bench: \(error)\n".utf8))
    exit(1)
}
