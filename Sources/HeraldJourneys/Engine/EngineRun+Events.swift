import Foundation
import HeraldCore

extension EngineRun {
    /// The name journeys use for an event: a track's `event`, else `$` and the message type
    /// (`$identify`, `$page`, `$screen`, `$group`, `$alias`); a page's `name` is then `where` path `event.name`.
    static func journeyName(of event: Event) -> String {
        switch event.type {
        case .track: return event.event ?? ""
        case .identify, .page, .screen, .group, .alias: return "$" + event.type.rawValue
        }
    }

    mutating func handle(event: Event) {
        let name = Self.journeyName(of: event)
        // Most events concern no journey: skip building their JSON at all.
        guard catalog.relevantEvents.contains(name) || (event.type == .identify && !catalog.traitMilestones.isEmpty) else {
            return
        }
        let json = event.json
        for instanceId in state.instances.map(\.id) {
            guard let index = index(of: instanceId) else { continue }
            let instance = state.instances[index]
            guard catalog.interest(id: instance.journey, version: instance.version).contains(name),
                let journey = catalog.journey(id: instance.journey, version: instance.version)
            else { continue }
            react(to: name, json: json, at: index, journey: journey)
        }
        convertWatches(name: name, json: json)
        for id in catalog.triggerIndex[name] ?? [] {
            guard let journey = catalog.journey(id: id) else { continue }
            trigger(journey, event: event, json: json)
        }
        for id in catalog.inactivityIndex[name] ?? [] {
            guard let journey = catalog.journey(id: id), let rule = journey.trigger.inactivity else { continue }
            let due = LocalCalendar.millis(now.addingTimeInterval(rule.duration.interval))
            state.timers[id] = due
            effects.append(.scheduleTimer(JourneyTimer(
                id: JourneyTimer.triggerTimerId(user: userId, journey: id, kind: .inactivity), userId: userId, journey: id, version: journey.version, kind: .inactivity,
                dueAt: due)))
        }
        if event.type == .identify { checkTraitCrossings(json: json, source: event.messageId) }
    }

    /// Goal, exit, awaited event and `happened` bookkeeping for one live instance.
    mutating func react(to name: String, json: JSONValue, at index: Int, journey: Journey) {
        let instance = state.instances[index]
        let trigger = instance.trigger.value
        if let goal = journey.goal, goal.event == name, !instance.converted,
            now <= instance.enteredAt.addingTimeInterval(goal.within.interval),
            Self.sameValues(at: goal.match, incoming: json, trigger: trigger)
        {
            state.instances[index].converted = true
            convert(journey: journey.id, version: journey.version, instanceId: instance.id, lastSend: instance.lastSend, goal: goal, json: json)
        }
        if journey.happenedEvents.contains(name), !instance.seen.contains(name) {
            state.instances[index].seen.append(name)
        }
        for rule in journey.exit?.on ?? [] where rule.event == name {
            guard Self.sameValues(at: rule.match, incoming: json, trigger: trigger) else { continue }
            if let filter = rule.filter, !filter.holds(in: ConditionScope(event: json, profile: profile, vars: instance.variables, lists: lists)) {
                continue
            }
            finish(at: index, journey: journey, reason: "exitEvent: \(name)")
            return
        }
        if let waiting = instance.waiting, waiting.kind == .timeout, let step = journey.step(waiting.step),
            let awaited = step.waitForEvent, awaited.event == name,
            Self.sameValues(at: awaited.match, incoming: json, trigger: trigger)
        {
            effects.append(.cancelTimer(id: waiting.timerId))
            stat(journey.id, step.id, .waiting, -1)
            state.instances[index].waiting = nil
            state.instances[index].latest = StoredJSON(json)
            trail(journey.id, journey.version, instance: instance.id, step: step.id, .eventReceived(name), "Received '\(name)' while waiting")
            runSteps(instanceId: instance.id, from: awaited.onEvent ?? journey.following(step.id), journey: journey)
        }
    }

    mutating func convertWatches(name: String, json: JSONValue) {
        for watch in state.watches {
            guard watch.until >= now, let journey = catalog.journey(id: watch.journey, version: watch.version),
                let goal = journey.goal, goal.event == name,
                watch.match.allSatisfy({ path, value in
                    json.value(atPath: path).map { JourneyCondition.equal($0, value.value) } ?? false
                })
            else { continue }
            state.watches.removeAll { $0.instanceId == watch.instanceId }
            convert(journey: journey.id, version: journey.version, instanceId: watch.instanceId, lastSend: watch.lastSend, goal: goal, json: json)
        }
    }

    mutating func convert(journey: String, version: Int, instanceId: String, lastSend: SentMessage?, goal: JourneyGoal, json: JSONValue) {
        let revenue = goal.revenue.flatMap { json.value(atPath: $0) }.flatMap(JourneyCondition.number) ?? 0
        let attribution = lastSend.map { "attributed to step '\($0.step)' (\($0.idempotencyKey))" } ?? "with no message sent"
        trail(
            journey, version, instance: instanceId, step: lastSend?.step,
            .goalReached(revenue: revenue, attributedStep: lastSend?.step, idempotencyKey: lastSend?.idempotencyKey),
            "Converted on '\(goal.event)' with revenue \(JSONValue.number(revenue).serialized()), \(attribution)")
        stat(journey, lastSend?.step, .converted)
        if revenue != 0 { stat(journey, lastSend?.step, .revenue, revenue) }
    }

    /// A trigger event for `journey`: filters, frequency and milestone counting, then entry.
    mutating func trigger(_ journey: Journey, event: Event, json: JSONValue) {
        let scope = ConditionScope(event: json, profile: profile, lists: lists)
        if let behaviour = journey.trigger.behaviour {
            guard behaviour.filter?.holds(in: scope) ?? true else { return }
            if let frequency = behaviour.frequency {
                var counter = state.counters[journey.id] ?? TriggerCounter()
                var recent = (counter.recent ?? []).filter {
                    event.timestamp.timeIntervalSince($0) < frequency.within.interval
                }
                recent.append(event.timestamp)
                let reached = recent.count >= frequency.count
                counter.recent = reached ? nil : Array(recent.suffix(max(frequency.count - 1, 1)))
                state.counters[journey.id] = counter
                guard reached else { return }
            }
            enter(journey, trigger: json, source: event.messageId)
        } else if let milestone = journey.trigger.milestone, let target = milestone.count {
            guard milestone.filter?.holds(in: scope) ?? true else { return }
            var counter = state.counters[journey.id] ?? TriggerCounter()
            let current = counter.count ?? 0
            guard current < target else { return }
            counter.count = current + 1
            state.counters[journey.id] = counter
            if current + 1 == target { enter(journey, trigger: json, source: event.messageId) }
        }
    }

    mutating func checkTraitCrossings(json: JSONValue, source: String) {
        for id in catalog.traitMilestones {
            guard let journey = catalog.journey(id: id), let milestone = journey.trigger.milestone,
                let trait = milestone.trait, let threshold = milestone.crosses,
                let value = profile[trait].flatMap(JourneyCondition.number)
            else { continue }
            var counter = state.counters[id] ?? TriggerCounter()
            let previous = counter.lastValue
            counter.lastValue = value
            state.counters[id] = counter
            if value >= threshold, (previous ?? -Double.infinity) < threshold {
                enter(journey, trigger: json, source: source)
            }
        }
    }
}
