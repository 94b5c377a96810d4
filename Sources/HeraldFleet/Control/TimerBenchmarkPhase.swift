/// Which part of the timer benchmark one `herald-bench timers` run measures; `scripts/bench-timers`
/// runs them in this order, changing the processes in between.
public enum TimerBenchmarkPhase: String, Sendable, CaseIterable {
    /// Memory per pending timer, lateness with `pending` pending, and a burst (needs schedulers).
    case timers
    /// A burst only, e.g. again with more scheduler replicas (needs schedulers).
    case burst
    /// Memory per live journey instance (needs an ingestor, an evaluator and abandoned-cart).
    case instances
}
