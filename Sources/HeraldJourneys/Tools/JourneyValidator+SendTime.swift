extension JourneyValidator {
    /// The longest a `bestTime` wait may hold a message: a week.
    static let longestBestTimeBound = 7 * 86_400

    /// A `bestTime` wait's bound and history threshold.
    static func checkBestTime(_ best: BestTimeWait, at path: String, issue: (String, String) -> Void) {
        if let within = best.within, within.seconds < 3600 || within.seconds > longestBestTimeBound {
            issue("\(path).within", "'\(within.text)' is out of range; the bound must be from 1h (one hour comes round) to 7d")
        }
        if let minimum = best.minimumEngagements, minimum < 1 {
            issue("\(path).minimumEngagements", "must be at least 1 (opens and clicks before the learned hour is trusted)")
        }
    }
}
