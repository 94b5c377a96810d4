import Foundation
import HeraldCore

extension EngineRun {
    /// Audience bookkeeping after the profile or lists may have changed (an identify, a refresh, an
    /// action step): live
    /// instances whose profile no longer meets their journey's exit audience end, then each
    /// audience-triggered journey is entered by a user who starts meeting its `where`.
    mutating func checkAudiences(source: String) {
        if catalog.hasAudienceExits { exitLeftAudiences() }
        for id in catalog.audienceJourneys {
            guard let journey = catalog.journey(id: id), let audience = journey.trigger.audience else { continue }
            let matches = audience.filter.holds(in: ConditionScope(event: .object([:]), profile: profile, lists: lists))
            var counter = state.counters[id] ?? TriggerCounter()
            let matched = counter.matching ?? false
            guard matches != matched else { continue }
            // Only a match is worth keeping: a user who never matched costs nothing.
            counter.matching = matches ? true : nil
            state.counters[id] = counter.isEmpty ? nil : counter
            guard matches else { continue }
            let event = Event(
                type: .track, messageId: "audience:\(id):\(source)", userId: userId, event: "$audience",
                properties: ["journey": .string(id)], timestamp: now)
            enter(journey, trigger: event.json, source: event.messageId)
        }
    }

    /// Ends every live instance whose profile has stopped meeting its journey's exit audience.
    private mutating func exitLeftAudiences() {
        for instanceId in state.instances.map(\.id) {
            guard let index = index(of: instanceId) else { continue }
            let instance = state.instances[index]
            guard let journey = catalog.journey(id: instance.journey, version: instance.version),
                let condition = Self.exitAudience(of: journey)
            else { continue }
            let scope = ConditionScope(
                event: instance.trigger.value, latest: instance.latest?.value, profile: profile, vars: instance.variables, lists: lists)
            guard !condition.holds(in: scope) else { continue }
            finish(at: index, journey: journey, reason: "leftAudience")
        }
    }

    /// The profile condition a live instance of `journey` must keep meeting, if any.
    static func exitAudience(of journey: Journey) -> JourneyCondition? {
        guard let exit = journey.exit else { return nil }
        let trigger = exit.leavesAudience == true ? journey.trigger.audience?.filter : nil
        switch (exit.audience, trigger) {
        case (let own?, let trigger?): return .all([trigger, own])
        case (let own?, nil): return own
        case (nil, let trigger?): return trigger
        case (nil, nil): return nil
        }
    }
}
