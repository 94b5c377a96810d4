import Foundation
import HeraldCore
import HeraldTemplates

extension EngineRun {
    /// How many journeys may be started inside one another in one evaluation (A starts B starts C …).
    static let maximumStartDepth = 8

    /// Runs one action step of the instance at `index`; the caller moves on to the following step.
    mutating func act(_ step: JourneyStep, at index: Int, journey: Journey) {
        if let update = step.updateProfile { updateProfile(update, step: step, at: index, journey: journey) }
        if let call = step.callWebhook { callWebhook(call, step: step, at: index, journey: journey) }
        if let start = step.startJourney { startJourney(start, step: step, at: index, journey: journey) }
        if let lists = step.updateLists { updateLists(lists, step: step, at: index, journey: journey) }
    }

    /// What an action's templates render with: the send context (`event`, `latest`, `profile`,
    /// `vars`, `journey`) and `userId`, with the profile as this run has changed it so far.
    func actionContext(for instance: JourneyInstance, journey: Journey) -> [String: JSONValue] {
        let trigger = instance.trigger.value
        var journeyInfo: [String: JSONValue] = [
            "id": .string(journey.id), "name": .string(journey.name), "version": .number(Double(journey.version)),
        ]
        if let zone = journey.defaults.timeZone { journeyInfo["timeZone"] = .string(zone) }
        return [
            "event": trigger, "latest": instance.latest?.value ?? trigger, "profile": .object(profile),
            "vars": .object(instance.variables), "journey": .object(journeyInfo), "userId": .string(userId),
        ]
    }

    /// Renders the step's values, applies them to this run's profile (so later steps and journeys
    /// started later in the run see them) and asks the evaluator to write them.
    mutating func updateProfile(_ spec: UpdateProfileStep, step: JourneyStep, at index: Int, journey: Journey) {
        let instance = state.instances[index]
        let context = JSONValue.object(actionContext(for: instance, journey: journey))
        var set: [String: JSONValue] = [:]
        var failed: [String] = []
        for (name, value) in spec.set ?? [:] {
            do {
                set[name] = try JSONTemplate(value.value, name: "\(journey.id)/\(step.id).updateProfile.set.\(name)").render(context)
            } catch {
                // The validator parses every template before publishing; a value that still fails is not written.
                failed.append(name)
            }
        }
        let update = ProfileUpdate(set: set, unset: spec.unset ?? [], increment: spec.increment ?? [:])
        profile = update.applied(to: profile)
        effects.append(.updateProfile(update))
        var summary = update.summary
        if !failed.isEmpty { summary += "; not set (template error): " + failed.sorted().joined(separator: ", ") }
        trail(journey.id, journey.version, instance: instance.id, step: step.id, .profileUpdated(summary: summary), "Profile updated: \(summary)")
        stat(journey.id, step.id, .actions)
    }

    /// A send request on the webhook channel carrying the step's own request inline
    /// (`context.call`); the webhook sender renders and makes the call, once per key.
    mutating func callWebhook(_ call: CallWebhookStep, step: JourneyStep, at index: Int, journey: Journey) {
        let instance = state.instances[index]
        let key = "\(instance.id)/\(step.id)/\(instance.sent)"
        var context = actionContext(for: instance, journey: journey)
        context["call"] = call.json
        let request = SendRequest(
            idempotencyKey: key, userId: userId, journey: journey.id, journeyVersion: journey.version, instanceId: instance.id,
            step: step.id, channel: .webhook, template: CallWebhookStep.templateName, category: call.resolvedCategory, context: context,
            requestedAt: now)
        // The counter keeps each pass through the step its own key; a call is not a message, so
        // goal attribution (`lastSend`) stays with the last message sent.
        state.instances[index].sent += 1
        effects.append(.send(request))
        trail(
            journey.id, journey.version, instance: instance.id, step: step.id,
            .webhookRequested(method: call.resolvedMethod, url: call.url, idempotencyKey: key),
            "Requested webhook call \(call.resolvedMethod) \(call.url)")
        stat(journey.id, step.id, .actions)
    }

    /// Enters the user into the target journey now, under its entry rules, with this instance's
    /// trigger; refused when the target is already being started in this evaluation (a cycle).
    mutating func startJourney(_ start: StartJourneyStep, step: JourneyStep, at index: Int, journey: Journey) {
        let instance = state.instances[index]
        trail(journey.id, journey.version, instance: instance.id, step: step.id, .journeyStarted(target: start.journey), "Started journey '\(start.journey)'")
        stat(journey.id, step.id, .actions)
        let origin = "started by \(journey.id)/\(step.id)"
        guard let target = catalog.journey(id: start.journey) else {
            // No stat: it would make a stats key for a journey that does not exist.
            trail(start.journey, 0, .notEntered(reason: "\(origin): no journey '\(start.journey)' is published"), "Not entered: no such journey")
            return
        }
        let path = startChain + [journey.id]
        if path.contains(target.id) {
            notEntered(target, "\(origin): a cycle (\((path + [target.id]).joined(separator: " → "))) is not started again")
            return
        }
        if path.count >= Self.maximumStartDepth {
            notEntered(target, "\(origin): more than \(Self.maximumStartDepth) journeys started inside one another")
            return
        }
        let before = effects.count
        let outer = startChain
        startChain = path
        enter(target, trigger: instance.trigger.value, source: "start|\(instance.id)|\(step.id)|\(now.unixMilliseconds)")
        startChain = outer
        // Who started it goes right after the target's entry, before its first steps' decisions.
        let entered = effects[before...].firstIndex { effect in
            if case .trail(let entry) = effect { return entry.journey == target.id && entry.kind.code == "entered" }
            return false
        }
        if let entered, case .trail(let entry) = effects[entered] {
            effects.insert(.trail(TrailEntry(
                userId: userId, at: now, journey: target.id, version: target.version, instanceId: entry.instanceId, step: entry.step,
                kind: .startedBy(journey: journey.id, instanceId: instance.id, step: step.id),
                message: "Started by journey '\(journey.id)' (instance \(instance.id), step '\(step.id)')")), at: entered + 1)
        }
    }

    /// Joins and leaves lists: only real changes become the effect, and this run's memberships
    /// change at once, so a later `inList` condition in the run sees them.
    mutating func updateLists(_ spec: UpdateListsStep, step: JourneyStep, at index: Int, journey: Journey) {
        let instance = state.instances[index]
        var add: [String] = []
        for name in spec.add ?? [] where !lists.contains(name) && !add.contains(name) { add.append(name) }
        var remove: [String] = []
        for name in spec.remove ?? [] where lists.contains(name) && !remove.contains(name) { remove.append(name) }
        let update = ListUpdate(add: add, remove: remove)
        lists = update.applied(to: lists)
        if !update.isEmpty { effects.append(.updateLists(update)) }
        let kind = TrailKind.listsUpdated(added: add, removed: remove)
        trail(journey.id, journey.version, instance: instance.id, step: step.id, kind, TrailRecord(code: kind.code, journey: journey.id, version: journey.version, instanceId: instance.id, step: step.id, details: kind.compactDetails).sentence)
        stat(journey.id, step.id, .actions)
    }
}
