import HeraldCore

/// A journey's split test: per group entered, sent, converted, the conversion rate with its 95 %
/// Wilson interval, and each variant's lift against the holdout (several holdout groups are pooled)
/// with Newcombe's interval of the difference. Below `minimumUsers` in the variant or the holdout
/// the verdict is `tooFewUsers`, whatever the interval says.
public struct ExperimentReport: Sendable, Hashable {
    /// The journey id.
    public var journey: String
    /// One result per group: holdouts first, then variants, each by name.
    public var results: [ExperimentGroupResult]
    /// The fewest users a group needs before its lift is judged.
    public var minimumUsers: Int

    /// The default `minimumUsers`.
    public static let defaultMinimumUsers = 30

    /// The report of `groups`.
    public init(journey: String, groups: [ExperimentGroupCounts], minimumUsers: Int = defaultMinimumUsers) {
        self.journey = journey
        self.minimumUsers = minimumUsers
        let ordered = groups.sorted { ($0.holdout ? 0 : 1, $0.name) < ($1.holdout ? 0 : 1, $1.name) }
        let holdouts = ordered.filter(\.holdout)
        let baseline = holdouts.isEmpty
            ? nil : (entered: holdouts.reduce(0) { $0 + $1.entered }, converted: holdouts.reduce(0) { $0 + $1.converted })
        results = ordered.map { counts in
            let rate = ExperimentStatistics.rate(successes: counts.converted, trials: counts.entered)
            let interval = ExperimentStatistics.wilson(successes: counts.converted, trials: counts.entered)
            guard !counts.holdout else { return ExperimentGroupResult(counts: counts, conversionRate: rate, interval: interval, lift: nil) }
            guard let baseline else {
                return ExperimentGroupResult(
                    counts: counts, conversionRate: rate, interval: interval,
                    lift: ExperimentLift(difference: nil, interval: nil, relative: nil, verdict: .noHoldout))
            }
            let base = ExperimentStatistics.rate(successes: baseline.converted, trials: baseline.entered)
            let difference = rate.flatMap { rate in base.map { rate - $0 } }
            let spread = ExperimentStatistics.difference(
                successes: counts.converted, trials: counts.entered, minusSuccesses: baseline.converted, trials: baseline.entered)
            let relative = difference.flatMap { difference in base.flatMap { $0 > 0 ? difference / $0 : nil } }
            let verdict: ExperimentVerdict
            if counts.entered < minimumUsers || baseline.entered < minimumUsers {
                verdict = .tooFewUsers
            } else if let spread, spread.low > 0 {
                verdict = .better
            } else if let spread, spread.high < 0 {
                verdict = .worse
            } else {
                verdict = .inconclusive
            }
            return ExperimentGroupResult(
                counts: counts, conversionRate: rate, interval: interval,
                lift: ExperimentLift(difference: difference, interval: spread, relative: relative, verdict: verdict))
        }
    }

    /// One JSON object per group (`heraldctl journeys stats JOURNEY --json`).
    public var jsonLines: [JSONValue] {
        results.map { result in
            let counts = result.counts
            var members: [String: JSONValue] = [
                "journey": .string(journey), "group": .string(counts.name), "holdout": .bool(counts.holdout),
                "entered": .number(Double(counts.entered)), "sent": .number(Double(counts.sent)),
                "converted": .number(Double(counts.converted)), "revenue": .number(counts.revenue),
                "conversionRate": result.conversionRate.map(JSONValue.number) ?? .null,
                "conversionInterval": result.interval.map(Self.json) ?? .null,
            ]
            if let lift = result.lift {
                members["lift"] = .object([
                    "difference": lift.difference.map(JSONValue.number) ?? .null,
                    "interval": lift.interval.map(Self.json) ?? .null,
                    "relative": lift.relative.map(JSONValue.number) ?? .null,
                    "verdict": .string(lift.verdict.rawValue),
                    "minimumUsers": .number(Double(minimumUsers)),
                ])
            } else {
                members["lift"] = .null
            }
            return .object(members)
        }
    }

    /// Table rows for people: group, role, entered, sent, converted, rate, its interval, lift, the
    /// lift's interval and the verdict (rates and lifts in percent).
    public var rows: [[String]] {
        results.map { result in
            let counts = result.counts
            var row = [
                counts.name, counts.holdout ? "holdout" : "variant", String(counts.entered), String(counts.sent), String(counts.converted),
                result.conversionRate.map { Self.percent($0) } ?? "-", result.interval.map { Self.range($0) } ?? "-",
            ]
            if let lift = result.lift {
                let verdict = lift.verdict == .tooFewUsers ? "\(lift.verdict.words) (fewer than \(minimumUsers) in a group)" : lift.verdict.words
                row += [lift.difference.map { Self.points($0) } ?? "-", lift.interval.map { Self.pointsRange($0) } ?? "-", verdict]
            } else {
                row += ["-", "-", "baseline"]
            }
            return row
        }
    }

    /// The table's header.
    public static let header = ["GROUP", "ROLE", "ENTERED", "SENT", "CONVERTED", "RATE", "95% CI", "LIFT", "LIFT 95% CI", "VERDICT"]

    static func json(_ interval: ProportionInterval) -> JSONValue { .object(["low": .number(interval.low), "high": .number(interval.high)]) }
    static func percent(_ value: Double) -> String { fixed(value * 100) + "%" }
    static func range(_ interval: ProportionInterval) -> String { fixed(interval.low * 100) + "–" + fixed(interval.high * 100) + "%" }
    static func points(_ value: Double) -> String { (value >= 0 ? "+" : "") + fixed(value * 100) + " pp" }
    static func pointsRange(_ interval: ProportionInterval) -> String { signed(interval.low * 100) + " to " + signed(interval.high * 100) + " pp" }
    static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + fixed(value) }

    /// One decimal, without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        return (value < 0 && tenths > 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
    }
}
