import Foundation
import HeraldCore

extension EngineRun {
    /// Runs the instance from `stepId` until it waits or exits; `nil` means past the last step.
    mutating func runSteps(instanceId: String, from stepId: String?, journey: Journey, skipSends: Bool = false) {
        var current = stepId
        var count = 0
        while let index = index(of: instanceId) {
            guard let id = current else {
                finish(at: index, journey: journey, reason: "completed")
                return
            }
            guard let step = journey.step(id) else {
                finish(at: index, journey: journey, reason: "unknownStep: \(id)")
                return
            }
            count += 1
            guard count <= Self.maximumStepsPerRun else {
                finish(at: index, journey: journey, reason: "stepLimit: more than \(Self.maximumStepsPerRun) steps without a wait")
                return
            }
            state.instances[index].step = id
            switch step.kind {
            case .send:
                if let send = step.send { perform(send, step: step, at: index, journey: journey, skip: skipSends) }
                current = journey.following(id)
            case .wait:
                guard let wait = step.wait else {
                    current = journey.following(id)
                    continue
                }
                let due: Date?
                if let best = wait.bestTime { due = bestTimeDue(best, step: step, at: index, journey: journey) } else { due = waitDue(wait, at: index, journey: journey) }
                if let due, due > now {
                    startWaiting(at: index, step: step, dueAt: due, kind: .resume, journey: journey)
                    return
                }
                current = journey.following(id)
            case .waitForEvent:
                let timeout = step.waitForEvent?.timeout.interval ?? 0
                startWaiting(
                    at: index, step: step, dueAt: LocalCalendar.millis(now.addingTimeInterval(timeout)), kind: .timeout,
                    journey: journey)
                return
            case .branch:
                let scope = scope(for: state.instances[index])
                let arms = step.branch?.cases ?? []
                let chosen = arms.first { $0.when.holds(in: scope) }?.next ?? step.branch?.default ?? journey.following(id)
                let label = chosen ?? "(end)"
                trail(journey.id, journey.version, instance: instanceId, step: id, .branchTaken(label), "Branch '\(id)' went to '\(label)'")
                current = chosen
            case .split:
                guard let split = step.split, let group = splitGroup(split, instanceId: instanceId, journey: journey.id, step: id) else {
                    current = journey.following(id)
                    continue
                }
                state.instances[index].vars["split"] = StoredJSON(.string(group.name))
                trail(journey.id, journey.version, instance: instanceId, step: id, .splitAssigned(group.name), "Split '\(id)' assigned group '\(group.name)'")
                groupStat(journey.id, group.name, .entered)
                if group.holdout == true {
                    stat(journey.id, id, .holdout)
                    finish(at: index, journey: journey, reason: "holdout: \(group.name)")
                    return
                }
                current = group.next ?? journey.following(id)
            case .exit:
                finish(at: index, journey: journey, reason: step.exit?.reason.map { "exitStep: \($0)" } ?? "exitStep")
                return
            case .updateProfile, .callWebhook, .startJourney, .updateLists:
                // Actions (EngineRun+Actions.swift) change the user's data or ask for a call, then move on.
                act(step, at: index, journey: journey)
                current = journey.following(id)
            }
        }
    }

    /// The group for a user (or an instance, `perEntry`): a stable hash into 10 000 buckets.
    func splitGroup(_ split: SplitStep, instanceId: String, journey: String, step: String) -> SplitGroup? {
        let groups = split.groups
        // Per user: neither the entry's trigger nor the version enters the hash, so a user keeps
        // their group (a holdout stays held out) on every re-entry and after a new version.
        let seed = split.assignment == .perEntry ? "\(instanceId)|\(step)" : "split|\(userId)|\(journey)|\(step)"
        let bucket = Int(StableHash.fnv1a(seed) % 10_000)
        var upper = 0
        for group in groups {
            upper += group.percent * 100
            if bucket < upper { return group }
        }
        return groups.last
    }

    /// When a wait ends; `nil` when it cannot be computed (e.g. no date at the path), so the instance moves on.
    func waitDue(_ wait: WaitStep, at index: Int, journey: Journey) -> Date? {
        if let duration = wait.duration { return LocalCalendar.millis(now.addingTimeInterval(duration.interval)) }
        let zone = LocalCalendar.zone(profile: profile, fallback: journey.defaults.timeZone)
        if let window = wait.window {
            return LocalCalendar.nextOpening(of: window, after: now, zone: zone).map(LocalCalendar.millis)
        }
        if let until = wait.untilDate {
            guard let text = scope(for: state.instances[index]).resolve(until.path)?.stringValue,
                let date = ISO8601.parse(text), let offset = until.offsetSeconds
            else { return nil }
            return LocalCalendar.millis(date.addingTimeInterval(TimeInterval(offset)))
        }
        return nil
    }

    mutating func startWaiting(at index: Int, step: JourneyStep, dueAt: Date, kind: JourneyTimerKind, journey: Journey) {
        let instanceId = state.instances[index].id
        let timerId = JourneyTimer.instanceTimerId(user: userId, journey: journey.id, instanceId: instanceId, step: step.id, kind: kind)
        state.instances[index].waiting = WaitingInfo(step: step.id, timerId: timerId, dueAt: dueAt, kind: kind)
        effects.append(.scheduleTimer(JourneyTimer(
            id: timerId, userId: userId, journey: journey.id, version: journey.version, instanceId: instanceId, step: step.id,
            kind: kind, dueAt: dueAt)))
        let what = kind == .timeout ? "for \(step.waitForEvent?.label ?? "an event") until" : "until"
        trail(journey.id, journey.version, instance: instanceId, step: step.id, .waitingUntil(dueAt), "Waiting \(what) \(Self.formatted(dueAt))")
        stat(journey.id, step.id, .waiting)
    }

    mutating func perform(_ send: SendStep, step: JourneyStep, at index: Int, journey: Journey, skip: Bool) {
        let instance = state.instances[index]
        if skip {
            trail(
                journey.id, journey.version, instance: instance.id, step: step.id, .sendSkipped(template: send.template),
                "Skipped '\(send.template)': the timer was past due beyond the step's limit")
            return
        }
        if let cap = cappingRule(send, step: step, journey: journey) {
            trail(
                journey.id, journey.version, instance: instance.id, step: step.id, .sendCapped(template: send.template, cap: cap),
                "Skipped '\(send.template)': \(cap)")
            stat(journey.id, step.id, .capped)
            return
        }
        countSend(send, step: step, journey: journey)
        let key = "\(instance.id)/\(step.id)/\(instance.sent)"
        let trigger = instance.trigger.value
        var journeyInfo: [String: JSONValue] = [
            "id": .string(journey.id), "name": .string(journey.name), "version": .number(Double(journey.version)),
        ]
        // The sender's quiet hours fall back to it for users without a usable zone of their own.
        if let zone = journey.defaults.timeZone { journeyInfo["timeZone"] = .string(zone) }
        var context: [String: JSONValue] = [
            "event": trigger,
            "latest": instance.latest?.value ?? trigger,
            "profile": .object(profile),
            "vars": .object(instance.variables),
            "journey": .object(journeyInfo),
            "respectQuietHours": .bool(journey.defaults.respectQuietHours ?? true),
        ]
        // The email sender reads it to rewrite links and add the open pixel (opt-in per send step).
        if let tracking = send.tracking {
            context["tracking"] = ["clicks": .bool(tracking.clicks), "opens": .bool(tracking.opens)]
        }
        let request = SendRequest(
            idempotencyKey: key, userId: userId, journey: journey.id, journeyVersion: journey.version, instanceId: instance.id,
            step: step.id, channel: send.channel, template: send.template, category: send.category, context: context,
            requestedAt: now)
        state.instances[index].sent += 1
        state.instances[index].lastSend = SentMessage(step: step.id, idempotencyKey: key, at: now)
        effects.append(.send(request))
        trail(
            journey.id, journey.version, instance: instance.id, step: step.id,
            .sendRequested(channel: send.channel, template: send.template, idempotencyKey: key),
            "Requested \(send.channel.rawValue) '\(send.template)'")
        stat(journey.id, step.id, .sent)
        groupStat(journey.id, Self.group(of: instance), .sent)
    }
}
