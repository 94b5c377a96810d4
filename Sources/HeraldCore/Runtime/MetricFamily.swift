/// One metric family: its name, type, help text and label names, declared once (the fleet's
/// families are in `MetricFamily+Herald.swift`) and used by value wherever it is updated.
public struct MetricFamily: Sendable, Hashable {
    /// The Prometheus type of a family.
    public enum Kind: Sendable, Hashable {
        /// Only goes up (restarts at 0 with the process); the name ends in `_total`.
        case counter
        /// Goes up and down; set to the value sampled last.
        case gauge
        /// Observations counted in cumulative buckets with these upper bounds (ascending; `+Inf` is implied).
        case histogram(buckets: [Double])

        /// The word after `# TYPE`.
        public var typeName: String {
            switch self {
            case .counter: return "counter"
            case .gauge: return "gauge"
            case .histogram: return "histogram"
            }
        }
    }

    /// The family's name (`herald_provider_calls_total`).
    public let name: String
    /// Its type.
    public let kind: Kind
    /// One line saying what it counts or measures.
    public let help: String
    /// The label names every series of the family carries, in output order.
    public let labels: [String]

    /// Declares a family.
    public init(_ name: String, _ kind: Kind, help: String, labels: [String] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.labels = labels
    }

    /// Latency buckets in seconds, from 5 ms to 5 minutes (XADD-to-provider latency includes retries
    /// and deferrals, so the tail is long).
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
}
