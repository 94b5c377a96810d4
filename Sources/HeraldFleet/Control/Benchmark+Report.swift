import Foundation

extension Benchmark {
    /// The figures of one run.
    public struct Report: Sendable {
        /// Events sent.
        public var events: Int
        /// Events per second from the first XADD to the last provider call.
        public var eventsPerSecond: Double
        /// Latency from XADD to provider call.
        public var latency: BenchmarkLatency
        /// redis-benchmark's pipelined (-P 16) XADD rate on the same server; nil when not measured
        /// (a paced run does not need the yardstick and would only be disturbed by it).
        public var xaddPipelinedPerSecond: Double?
        /// Delivery statuses seen (all should be `sent`).
        public var statuses: [String: Int]
        /// `single` or `cluster`.
        public var mode: String
        /// Commands each master processed while the track events flowed (`total_commands_processed`;
        /// a script counts once, the calls inside it are not counted).
        public var commandsByNode: [(node: String, commands: Int64)]
        /// Redis CPU (user + system) all masters spent while the track events flowed, in seconds.
        public var redisCPUSeconds: Double
        /// What each master serves: its partitions and fleet-wide stream shards.
        public var servedByNode: [String: String] = [:]
        /// `redis` or `edge`.
        public var producer: String = "redis"
        /// The steady rate the producer was asked for; nil when it sent everything at once.
        public var pacing: BenchmarkPacing?
        /// Events per second the paced producer reached (events ÷ its time from first to last XADD).
        public var achievedRate: Double = 0
        /// Events not yet delivered when the paced producer stopped.
        public var backlog: Int = 0
        /// Each watched process's CPU while the track events flowed, and its peak memory.
        public var processes: [BenchmarkProcessUsage] = []
        /// Evaluator and sender replicas the fleet ran.
        public var replicas: Int = 1

        /// Median latency, in milliseconds.
        public var p50: Double { latency.p50 }
        /// 99th percentile latency, in milliseconds.
        public var p99: Double { latency.p99 }

        /// Commands per event over every master.
        public var commandsPerEvent: Double {
            events > 0 ? Double(commandsByNode.reduce(0) { $0 + $1.commands }) / Double(events) : 0
        }

        /// Redis CPU per event, in microseconds.
        public var redisMicrosecondsPerEvent: Double { events > 0 ? redisCPUSeconds * 1_000_000 / Double(events) : 0 }

        /// CPU per event of the fleet's processes (Redis left out), in microseconds.
        public var fleetMicrosecondsPerEvent: Double {
            processes.filter { !$0.isRedis }.reduce(0) { $0 + $1.microsecondsPerEvent(events) }
        }

        /// Whether the fleet kept up with the paced producer (always true for an unpaced run).
        public var keptUp: Bool { pacing?.keptUp(achievedRate: achievedRate, backlog: backlog) ?? true }

        /// The run as a sweep weighs it; nil for an unpaced run.
        public var point: BenchmarkRatePoint? {
            pacing.map { BenchmarkRatePoint(rate: $0.rate, achievedRate: achievedRate, backlog: backlog, keptUp: keptUp, latency: latency) }
        }

        /// Human lines, then the machine-readable last line.
        public var summary: String {
            var lines = ["events:            \(events) (statuses: \(statuses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))"]
            if let pacing {
                let backlogMilliseconds = 1000 * Double(backlog) / Double(pacing.rate)
                lines.append("paced:             asked \(pacing.rate) events/s for \(pacing.seconds) s, the producer reached \(f(achievedRate, 1))/s; \(backlog) undelivered when it stopped (\(f(backlogMilliseconds, 1)) ms of input): \(keptUp ? "kept up" : "did not keep up")")
            }
            lines += [
                "end to end:        \(f(eventsPerSecond, 0)) events/s (\(producer == "edge" ? "HTTP /v1/batch → edge → " : "")ingest → evaluate → send, \(producer == "edge" ? 4 : 3) hops\(replicas > 1 ? ", \(replicas) evaluators and \(replicas) senders" : ""))",
                "latency XADD→send: p50 \(f(latency.p50, 1)) ms, p99 \(f(latency.p99, 1)) ms, p99.9 \(f(latency.p999, 1)) ms, max \(f(latency.maximum, 1)) ms (n=\(latency.count))",
                "redis:             \(f(commandsPerEvent, 2)) commands per event, \(f(redisMicrosecondsPerEvent, 1)) µs Redis CPU per event (\(mode), \(commandsByNode.count) master\(commandsByNode.count == 1 ? "" : "s"))\(nodeLines)",
            ]
            if !processes.isEmpty {
                lines.append("processes:         CPU per event while the track events flowed (/proc/PID/stat utime+stime), peak resident memory (VmHWM)")
                for process in processes {
                    lines.append("  \(pad(process.name, 22)) \(pad(f(process.microsecondsPerEvent(events), 1), 7, left: true)) µs/event  \(pad(f(process.cpuSeconds, 2), 7, left: true)) s  peak \(pad(f(process.peakResidentMiB, 1), 7, left: true)) MiB")
                }
                lines.append("  \(pad("fleet (Redis left out)", 22)) \(pad(f(fleetMicrosecondsPerEvent, 1), 7, left: true)) µs/event")
            }
            if let xaddPipelinedPerSecond {
                let ratio = xaddPipelinedPerSecond > 0 ? eventsPerSecond / xaddPipelinedPerSecond : 0
                lines += [
                    "redis-benchmark:   \(f(xaddPipelinedPerSecond, 0)) XADD/s pipelined (-P 16), \(mode == "cluster" ? "on one master" : "same server"), same run",
                    "ratio:             \(f(ratio, 4)) (Herald events/s ÷ raw pipelined XADD/s)",
                ]
            }
            lines.append(machineLine)
            return lines.joined(separator: "\n")
        }

        /// The machine-readable line: `herald-bench key=value …`.
        public var machineLine: String {
            var fields = ["mode=\(mode)", "producer=\(producer)", "replicas=\(replicas)", "events=\(events)", "events_per_s=\(f(eventsPerSecond, 0))"]
            if let pacing {
                fields += ["rate=\(pacing.rate)", "seconds=\(pacing.seconds)", "achieved_per_s=\(f(achievedRate, 1))", "backlog=\(backlog)", "kept_up=\(keptUp ? "yes" : "no")"]
            }
            fields += ["p50_ms=\(f(latency.p50, 1))", "p99_ms=\(f(latency.p99, 1))", "p999_ms=\(f(latency.p999, 1))", "max_ms=\(f(latency.maximum, 1))"]
            if let xaddPipelinedPerSecond {
                let ratio = xaddPipelinedPerSecond > 0 ? eventsPerSecond / xaddPipelinedPerSecond : 0
                fields += ["xadd_p16_per_s=\(f(xaddPipelinedPerSecond, 0))", "ratio=\(f(ratio, 4))"]
            }
            fields += ["masters=\(commandsByNode.count)", "commands_per_event=\(f(commandsPerEvent, 2))", "redis_cpu_us_per_event=\(f(redisMicrosecondsPerEvent, 1))"]
            if !processes.isEmpty {
                fields += [
                    "fleet_cpu_us_per_event=\(f(fleetMicrosecondsPerEvent, 1))",
                    "cpu_us_per_event=" + processes.map { "\($0.name):\(f($0.microsecondsPerEvent(events), 1))" }.joined(separator: ","),
                    "peak_rss_mib=" + processes.map { "\($0.name):\(f($0.peakResidentMiB, 1))" }.joined(separator: ","),
                ]
            }
            return "herald-bench " + fields.joined(separator: " ")
        }

        /// One line of a sweep: the rate, whether it passed, its latency and its costs.
        public func sweepLine(passed: Bool) -> String {
            guard let pacing else { return machineLine }
            return "sweep rate=\(pacing.rate) achieved_per_s=\(f(achievedRate, 1)) backlog=\(backlog) kept_up=\(keptUp ? "yes" : "no") p50_ms=\(f(latency.p50, 1)) p99_ms=\(f(latency.p99, 1)) p999_ms=\(f(latency.p999, 1)) max_ms=\(f(latency.maximum, 1)) pass=\(passed ? "yes" : "no") commands_per_event=\(f(commandsPerEvent, 2)) redis_cpu_us_per_event=\(f(redisMicrosecondsPerEvent, 1))\(processes.isEmpty ? "" : " fleet_cpu_us_per_event=\(f(fleetMicrosecondsPerEvent, 1))")"
        }

        private var nodeLines: String {
            guard commandsByNode.count > 1 else { return "" }
            let total = max(1, commandsByNode.reduce(0) { $0 + $1.commands })
            return commandsByNode.map { node, commands in
                "\n                   \(node): \(commands) commands (\(f(100 * Double(commands) / Double(total), 1)) %), \(f(Double(commands) / Double(max(1, events)), 2)) per event; serves \(servedByNode[node] ?? "?")"
            }.joined()
        }

        private func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

        private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return left ? padding + text : text + padding
        }
    }
}
