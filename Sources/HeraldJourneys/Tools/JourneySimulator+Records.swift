import Foundation
import HeraldCore
import HeraldTemplates

extension JourneySimulator {
    /// Turns one evaluation's effect at `index` into records: sends, exits and the decisions the
    /// trail carries (entries, refusals, splits, resets, action paths, conversions, past-due timers, skips).
    mutating func record(_ effects: [JourneyEffect], at index: Int) {
        switch effects[index] {
        case .send(let request) where request.context["call"] != nil:
            // A callWebhook step's request: a webhook call, not a message.
            let call = request.context["call"].flatMap(CallWebhookStep.init(json:))
            records.append(.decision(SimulationDecision(
                kind: .webhookCall, at: now, userId: request.userId, journey: request.journey,
                details: [
                    "instanceId": .string(request.instanceId), "step": .string(request.step), "idempotencyKey": .string(request.idempotencyKey),
                    "method": .string(call?.resolvedMethod ?? "POST"), "url": .string(call?.url ?? ""),
                    "category": .string(request.category.rawValue),
                ])))
            if templates != nil { records.append(.decision(renderedCall(request))) }
        case .send(let request):
            records.append(.send(
                at: now, userId: request.userId, journey: request.journey, step: request.step, channel: request.channel,
                template: request.template))
            if let templates { records.append(.decision(rendered(request, templates: templates))) }
        case .trail(let entry):
            record(entry, effects: effects, at: index)
        case .scheduleTimer, .cancelTimer, .stat, .groupStat, .updateProfile, .updateLists:
            // Profile and list changes are recorded from their trail entries, which name the step.
            break
        }
    }

    mutating func record(_ entry: TrailEntry, effects: [JourneyEffect], at index: Int) {
        func decision(_ kind: SimulationDecisionKind, _ details: [String: JSONValue]) {
            var members = details
            if let instance = entry.instanceId { members["instanceId"] = .string(instance) }
            if let step = entry.step, kind != .entered { members["step"] = .string(step) }
            records.append(.decision(SimulationDecision(kind: kind, at: now, userId: entry.userId, journey: entry.journey, details: members)))
        }
        let version = JSONValue.number(Double(entry.version))
        switch entry.kind {
        case .exited(let reason):
            let code = reason.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reason
            records.append(.exit(at: now, userId: entry.userId, journey: entry.journey, exit: code, reason: reason))
        case .entered(let key):
            decision(.entered, ["version": version, "key": key.isEmpty ? .null : .string(key)])
        case .notEntered(let reason):
            decision(.notEntered, ["version": version, "reason": .string(reason), "because": .string(Self.because(reason))])
        case .splitAssigned(let group):
            let split = catalog.journey(id: entry.journey, version: entry.version)?.step(entry.step ?? "")?.split
            decision(.split, ["group": .string(group), "assignment": .string((split?.assignment ?? .perUser).rawValue)])
            // The entry record names the group its instance was assigned.
            if let position = records.lastIndex(where: {
                if case .decision(let earlier) = $0 { return earlier.kind == .entered && earlier.details["instanceId"]?.stringValue == entry.instanceId }
                return false
            }), case .decision(var entered) = records[position], entered.details["group"] == nil {
                entered.details["group"] = .string(group)
                records[position] = .decision(entered)
            }
        case .waitReset(let count):
            let timer = effects[..<index].reversed().lazy.compactMap { effect -> JourneyTimer? in
                if case .scheduleTimer(let timer) = effect, timer.instanceId == entry.instanceId { return timer }
                return nil
            }.first
            var details: [String: JSONValue] = ["resets": .number(Double(count))]
            if let timer { details["until"] = .string(ISO8601.format(timer.dueAt)) }
            decision(.reset, details)
        case .goalReached(let revenue, let step, let key):
            var details: [String: JSONValue] = [
                "revenue": .number(revenue), "attributedStep": step.map(JSONValue.string) ?? .null, "idempotencyKey": key.map(JSONValue.string) ?? .null,
            ]
            // The group of the instance's split, so an experiment's conversions (a holdout's too) can be counted.
            for case .decision(let earlier) in records.reversed() where earlier.kind == .split && earlier.details["instanceId"]?.stringValue == entry.instanceId {
                details["group"] = earlier.details["group"]
                break
            }
            decision(.goal, details)
        case .pastDue(let policy, let latenessMs):
            decision(.pastDue, [
                "policy": .string(policy), "latenessMs": .number(Double(latenessMs)),
                "dueAt": .string(ISO8601.format(now.addingTimeInterval(-Double(latenessMs) / 1000))),
                "decision": .string(Self.outcome(of: entry, in: effects.dropFirst(index + 1))),
            ])
        case .sendSkipped(let template):
            decision(.sendSkipped, ["template": .string(template)])
        case .pathTaken(let event, let path, let name, let next):
            var details: [String: JSONValue] = ["event": .string(event), "path": .number(Double(path)), "next": .string(next)]
            if let name { details["name"] = .string(name) }
            decision(.path, details)
        case .branchTaken(let next):
            // The timeout of a step with action paths is the path it took.
            guard catalog.journey(id: entry.journey, version: entry.version)?.step(entry.step ?? "")?.waitForEvent?.paths != nil else { break }
            decision(.path, ["event": .null, "path": "timeout", "next": .string(next)])
        case .sendCapped(let template, let cap):
            decision(.sendCapped, ["template": .string(template), "cap": .string(cap.hasPrefix("the step's") ? "step" : "journey"), "reason": .string(cap)])
        case .entryQueued(let until):
            decision(.queued, ["version": version, "until": .string(ISO8601.format(until))])
        case .sendTimeChosen(let time, let basis, let engagements, let zone):
            var details: [String: JSONValue] = [
                "time": .string(time.description), "basis": .string(basis.rawValue), "engagements": .number(Double(engagements)), "zone": .string(zone),
            ]
            // The wait's end: the timer this evaluation schedules for the instance, or now when it sends at once.
            let timer = effects[(index + 1)...].lazy.compactMap { effect -> JourneyTimer? in
                if case .scheduleTimer(let timer) = effect, timer.instanceId == entry.instanceId, timer.step == entry.step { return timer }
                return nil
            }.first
            details["until"] = .string(ISO8601.format(timer?.dueAt ?? now))
            decision(.sendTime, details)
        case .profileUpdated:
            decision(.profileUpdated, profileDetails(effects, before: index))
        case .listsUpdated(let added, let removed):
            decision(.listsUpdated, ["added": .array(added.map { .string($0) }), "removed": .array(removed.map { .string($0) })])
        case .journeyStarted(let target):
            decision(.journeyStarted, ["target": .string(target)])
        case .startedBy(let journey, let instance, let step):
            // The entry record names who started it.
            if let position = records.lastIndex(where: {
                if case .decision(let earlier) = $0 { return earlier.kind == .entered && earlier.details["instanceId"]?.stringValue == entry.instanceId }
                return false
            }), case .decision(var entered) = records[position] {
                entered.details["startedBy"] = .object(["journey": .string(journey), "instanceId": .string(instance), "step": .string(step)])
                records[position] = .decision(entered)
            }
        case .waitingUntil, .timerFired, .staleTimer, .eventReceived, .sendRequested, .webhookRequested, .identityMerged:
            break
        }
    }

    /// A profile update's members, from the `updateProfile` effect just before its trail entry:
    /// `set` (the rendered values), `unset`, `increment`.
    func profileDetails(_ effects: [JourneyEffect], before index: Int) -> [String: JSONValue] {
        for effect in effects[..<index].reversed() {
            if case .updateProfile(let update) = effect { return update.json.objectValue ?? [:] }
        }
        return [:]
    }

    /// What a past-due policy did, read from the rest of the same evaluation's effects.
    static func outcome(of pastDue: TrailEntry, in rest: ArraySlice<JourneyEffect>) -> String {
        let later = rest.compactMap { effect -> TrailEntry? in
            if case .trail(let entry) = effect, entry.journey == pastDue.journey, entry.instanceId == pastDue.instanceId || pastDue.instanceId == nil {
                return entry
            }
            return nil
        }
        if later.contains(where: { $0.kind == .exited(reason: "pastDue") }) { return "failed: the instance exited (pastDue)" }
        if let refused = later.first(where: { $0.kind.code == "notEntered" }), case .notEntered(let reason) = refused.kind {
            return "not entered: \(reason)"
        }
        let skipped = later.filter { $0.kind.code == "sendSkipped" }.count
        if skipped > 0 { return "skipped \(skipped) send\(skipped == 1 ? "" : "s")" }
        let sent = later.filter { $0.kind.code == "sendRequested" }.count
        if pastDue.instanceId == nil { return later.contains { $0.kind.code == "entered" } ? "entered late" : "continued late" }
        return "continued late" + (sent > 0 ? ", \(sent) send\(sent == 1 ? "" : "s") requested" : "")
    }

    /// The `because` code of a refused entry: which rule refused it.
    static func because(_ reason: String) -> String {
        if reason.hasPrefix("re-entry is") { return "reentry" }
        if reason.hasPrefix("the user already has") { return "liveCap" }
        if reason.hasPrefix("the user has") { return "instanceLimit" }
        if reason.hasPrefix("the trigger has no value at the concurrency key") { return "concurrencyKey" }
        if reason.contains("past due") { return "pastDue" }
        if reason.hasPrefix("the profile does not meet") || reason.hasPrefix("the event does not meet") { return "conditions" }
        if reason.hasPrefix("outside the entry schedule") { return "schedule" }
        return "other"
    }

    /// The request a webhook call would make, rendered as the webhook sender renders it
    /// (`WebhookCallRequest`), from the send context plus `userId`.
    func renderedCall(_ request: SendRequest) -> SimulationDecision {
        var details: [String: JSONValue] = [
            "instanceId": .string(request.instanceId), "step": .string(request.step), "channel": .string(request.channel.rawValue),
            "template": .string(request.template), "idempotencyKey": .string(request.idempotencyKey), "context": .object(request.context),
        ]
        do {
            let call = try WebhookCallRequest(request: request, profile: request.context["profile"]?.objectValue ?? [:])
            var headers: [String: JSONValue] = [:]
            for (name, value) in call.headers { headers[name] = .string(value) }
            details["message"] = .object(["method": .string(call.method), "url": .string(call.url), "headers": .object(headers), "body": call.body])
        } catch {
            details["error"] = .string("\(error)")
        }
        return SimulationDecision(kind: .rendered, at: now, userId: request.userId, journey: request.journey, details: details)
    }

    /// The message a sender would render for `request`, and the context it renders it from (the
    /// send context plus what the sender adds: `userId`, `channel`, `brand`, `unsubscribeUrl`).
    func rendered(_ request: SendRequest, templates: TemplateLibrary) -> SimulationDecision {
        var context = request.context
        context["userId"] = .string(request.userId)
        context["channel"] = .string(request.channel.rawValue)
        context["brand"] = .object(["name": .string(brandName)])
        if request.category == .marketing { context["unsubscribeUrl"] = "https://unsubscribe.invalid/simulated" }
        let locale = context["profile"]?["locale"]?.stringValue ?? context["event"]?.value(atPath: "context.locale")?.stringValue
        var details: [String: JSONValue] = [
            "instanceId": .string(request.instanceId), "step": .string(request.step), "channel": .string(request.channel.rawValue),
            "template": .string(request.template), "idempotencyKey": .string(request.idempotencyKey), "context": .object(context),
        ]
        if let locale { details["locale"] = .string(locale) }
        do {
            let template = try templates.message(named: request.template, locale: locale)
            let missing = template.missingParts(for: request.channel)
            if !missing.isEmpty { details["error"] = .string("template '\(request.template)' lacks \(missing.joined(separator: ", ")) for \(request.channel.rawValue)") }
            let message = try template.render(.object(context))
            var parts: [String: JSONValue] = [:]
            for (name, value) in [("subject", message.subject), ("text", message.text), ("html", message.html), ("title", message.title), ("body", message.body)] {
                if let value { parts[name] = .string(value) }
            }
            details["message"] = .object(parts)
        } catch {
            details["error"] = .string(error.description)
        }
        return SimulationDecision(kind: .rendered, at: now, userId: request.userId, journey: request.journey, details: details)
    }
}
