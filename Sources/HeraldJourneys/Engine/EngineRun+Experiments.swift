import Foundation
import HeraldCore

extension EngineRun {
    /// Counts `counter` for the split group `group` of `journey`; nothing outside a split.
    mutating func groupStat(_ journey: String, _ group: String?, _ counter: StatCounter, _ delta: Double = 1) {
        guard let group else { return }
        effects.append(.groupStat(journey: journey, group: group, counter: counter, delta: delta))
    }

    /// The split group an instance was assigned (`vars.split`), if any.
    static func group(of instance: JourneyInstance) -> String? {
        instance.vars["split"]?.value.stringValue
    }
}
