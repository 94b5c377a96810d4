import Foundation
import Testing
@testable import HeraldJourneys

/// The split test statistics against published values (Newcombe 1998: single proportions, Table I
/// method 3; differences, Table II method 10).
@Suite struct ExperimentStatisticsTests {
    static func close(_ value: Double?, _ expected: Double, within tolerance: Double = 0.00006) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= tolerance
    }

    @Test(arguments: [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
    func wilsonIntervalsMatchThePublishedOnes(successes: Int, trials: Int, low: Double, high: Double) {
        let interval = ExperimentStatistics.wilson(successes: successes, trials: trials)
        #expect(Self.close(interval?.low, low) && Self.close(interval?.high, high), "\(successes)/\(trials): \(String(describing: interval))")
    }

    @Test(arguments: [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090), (0, 10, 0, 20, -0.1611, 0.2775)])
    func differenceIntervalsMatchNewcombesHybridScore(a: Int, n: Int, b: Int, m: Int, low: Double, high: Double) {
        let interval = ExperimentStatistics.difference(successes: a, trials: n, minusSuccesses: b, trials: m)
        #expect(Self.close(interval?.low, low) && Self.close(interval?.high, high), "\(a)/\(n) - \(b)/\(m): \(String(describing: interval))")
    }

    @Test func noTrialsHaveNoRateAndNoInterval() {
        #expect(ExperimentStatistics.rate(successes: 0, trials: 0) == nil)
        #expect(ExperimentStatistics.wilson(successes: 0, trials: 0) == nil)
        #expect(ExperimentStatistics.difference(successes: 1, trials: 2, minusSuccesses: 0, trials: 0) == nil)
        // More conversions than entries (a counter race) is read as every entry converted.
        #expect(ExperimentStatistics.rate(successes: 5, trials: 4) == 1)
    }

    @Test func theReportJudgesEachVariantAgainstThePooledHoldout() {
        let report = ExperimentReport(journey: "promo", groups: [
            ExperimentGroupCounts(name: "email", holdout: false, entered: 400, sent: 400, converted: 80),
            ExperimentGroupCounts(name: "sms", holdout: false, entered: 400, sent: 400, converted: 42),
            ExperimentGroupCounts(name: "weak", holdout: false, entered: 400, sent: 400, converted: 10),
            ExperimentGroupCounts(name: "control", holdout: true, entered: 200, converted: 20),
            ExperimentGroupCounts(name: "control-2", holdout: true, entered: 200, converted: 20),
        ])
        #expect(report.results.map(\.counts.name) == ["control", "control-2", "email", "sms", "weak"], "holdouts first, then variants")
        let byName = Dictionary(uniqueKeysWithValues: report.results.map { ($0.counts.name, $0) })
        #expect(byName["control"]?.lift == nil)
        // 20 % against the pooled 10 %: +10 points, clearly better; 10.5 % is not clearly different; 2.5 % is worse.
        #expect(byName["email"]?.lift?.verdict == .better)
        #expect(Self.close(byName["email"]?.lift?.difference, 0.10, within: 1e-9))
        #expect(Self.close(byName["email"]?.lift?.relative, 1.0, within: 1e-9))
        #expect(byName["sms"]?.lift?.verdict == .inconclusive)
        #expect(byName["sms"]?.lift?.interval?.contains(0) == true)
        #expect(byName["weak"]?.lift?.verdict == .worse)
        let json = report.jsonLines.first { $0["group"] == "email" }
        #expect(json?["lift"]?["verdict"] == "better" && json?["holdout"] == .bool(false) && json?["conversionRate"] == .number(0.2))
        #expect(report.rows.first { $0[0] == "email" } == [
            "email", "variant", "400", "400", "80", "20.0%", "16.4–24.2%", "+10.0 pp", "+5.1 to +14.9 pp", "better than the holdout",
        ])
    }

    @Test func fewUsersAreTooFewToTellEvenWithAWideGap() {
        let report = ExperimentReport(journey: "promo", groups: [
            ExperimentGroupCounts(name: "email", holdout: false, entered: 12, sent: 12, converted: 10),
            ExperimentGroupCounts(name: "control", holdout: true, entered: 12, converted: 0),
        ])
        let email = report.results.first { $0.counts.name == "email" }
        #expect(email?.lift?.verdict == .tooFewUsers)
        #expect(email?.lift?.interval.map { $0.low > 0 } == true, "the interval alone would call it")
        #expect(email?.lift?.relative == nil, "no relative lift over a holdout that converted nobody")
        #expect(report.rows.first { $0[0] == "email" }?.last?.contains("too few users to tell") == true)
    }

    @Test func aSplitWithoutAHoldoutSaysSo() {
        let report = ExperimentReport(journey: "ab", groups: [ExperimentGroupCounts(name: "a", holdout: false, entered: 50, converted: 5)])
        #expect(report.results.first?.lift?.verdict == .noHoldout)
        #expect(report.jsonLines.first?["lift"]?["difference"] == .null)
    }
}
