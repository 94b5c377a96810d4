import Foundation
import HeraldCore

extension EngineRun {
    /// An event for an instance waiting in a `waitForEvent` step: the first path whose event it
    /// is, whose `match` holds against the trigger and whose `where` holds over it, ends the wait
    /// and leads on; an event no path takes changes nothing.
    mutating func receive(
        _ name: String, json: JSONValue, at index: Int, step: JourneyStep, awaited: WaitForEventStep, waiting: WaitingInfo, journey: Journey
    ) {
        let instance = state.instances[index]
        let trigger = instance.trigger.value
        let scope = conditionScope(event: json, latest: instance.latest?.value, vars: instance.variables, seen: Set(instance.seen))
        let choices = awaited.choices
        guard let position = choices.firstIndex(where: { path in
            path.event == name && Self.sameValues(at: path.match ?? awaited.match, incoming: json, trigger: trigger)
                && (path.filter?.holds(in: scope) ?? true)
        }) else { return }
        effects.append(.cancelTimer(id: waiting.timerId))
        stat(journey.id, step.id, .waiting, -1)
        state.instances[index].waiting = nil
        state.instances[index].latest = StoredJSON(json)
        trail(journey.id, journey.version, instance: instance.id, step: step.id, .eventReceived(name), "Received '\(name)' while waiting")
        guard awaited.paths != nil else {
            runSteps(instanceId: instance.id, from: awaited.onEvent ?? journey.following(step.id), journey: journey)
            return
        }
        let path = choices[position]
        let label = path.name.map { "'\($0)'" } ?? "\(position)"
        trail(
            journey.id, journey.version, instance: instance.id, step: step.id, .pathTaken(event: name, path: position, name: path.name, next: path.next),
            "Path \(label) on '\(name)' went to '\(path.next)'")
        runSteps(instanceId: instance.id, from: path.next, journey: journey)
    }
}
