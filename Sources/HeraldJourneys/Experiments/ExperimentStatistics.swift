import Foundation

/// The statistics of a split test, pure: Wilson score intervals for conversion rates and
/// Newcombe's hybrid score interval for the difference of two rates (Newcombe 1998, method 10),
/// both sound at small counts and at rates near 0 or 1, where the normal approximation is not.
public enum ExperimentStatistics {
    /// The normal quantile of a two-sided 95 % interval.
    public static let z95 = 1.959963984540054

    /// The rate `successes / trials` (successes clamped to the trials); `nil` without trials.
    public static func rate(successes: Int, trials: Int) -> Double? {
        guard trials > 0 else { return nil }
        return Double(min(max(successes, 0), trials)) / Double(trials)
    }

    /// The Wilson score interval of `successes` out of `trials`; `nil` without trials.
    public static func wilson(successes: Int, trials: Int, z: Double = z95) -> ProportionInterval? {
        guard let p = rate(successes: successes, trials: trials) else { return nil }
        let n = Double(trials)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return ProportionInterval(low: max(0, centre - half), high: min(1, centre + half))
    }

    /// The interval of `rate(a) - rate(b)` from the two Wilson intervals (Newcombe's hybrid
    /// score method); `nil` when either side has no trials.
    public static func difference(
        successes a: Int, trials n: Int, minusSuccesses b: Int, trials m: Int, z: Double = z95
    ) -> ProportionInterval? {
        guard let p1 = rate(successes: a, trials: n), let p2 = rate(successes: b, trials: m),
            let first = wilson(successes: a, trials: n, z: z), let second = wilson(successes: b, trials: m, z: z)
        else { return nil }
        let d = p1 - p2
        let below = ((p1 - first.low) * (p1 - first.low) + (second.high - p2) * (second.high - p2)).squareRoot()
        let above = ((first.high - p1) * (first.high - p1) + (p2 - second.low) * (p2 - second.low)).squareRoot()
        return ProportionInterval(low: d - below, high: d + above)
    }
}
