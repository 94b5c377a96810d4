/// One step: an `id`, exactly one kind member (`send`, `wait`, `waitForEvent`, `branch`, `split`,
/// `exit`, or an action: `updateProfile`, `callWebhook`, `startJourney`, `updateLists`), an optional `next` (default: the following step) and an optional `pastDue` policy for
/// timers that resume after it.
public struct JourneyStep: Sendable, Hashable, Codable {
    /// Unique within the journey.
    public var id: String
    /// The step after this one; the following step in the list when absent.
    public var next: String?
    /// Send form.
    public var send: SendStep?
    /// Wait form.
    public var wait: WaitStep?
    /// Wait-for-event form.
    public var waitForEvent: WaitForEventStep?
    /// Branch form.
    public var branch: BranchStep?
    /// Split form.
    public var split: SplitStep?
    /// Exit form.
    public var exit: ExitStep?
    /// Overrides the journey's default past-due policy for timers of this step.
    public var pastDue: PastDuePolicy?
    /// Profile-update action.
    public var updateProfile: UpdateProfileStep?
    /// Webhook-call action.
    public var callWebhook: CallWebhookStep?
    /// Start-another-journey action.
    public var startJourney: StartJourneyStep?
    /// List-membership action.
    public var updateLists: UpdateListsStep?

    /// Creates a step; set exactly one kind member.
    public init(
        id: String, next: String? = nil, send: SendStep? = nil, wait: WaitStep? = nil, waitForEvent: WaitForEventStep? = nil,
        branch: BranchStep? = nil, split: SplitStep? = nil, exit: ExitStep? = nil, pastDue: PastDuePolicy? = nil,
        updateProfile: UpdateProfileStep? = nil, callWebhook: CallWebhookStep? = nil, startJourney: StartJourneyStep? = nil,
        updateLists: UpdateListsStep? = nil
    ) {
        self.id = id
        self.next = next
        self.send = send
        self.wait = wait
        self.waitForEvent = waitForEvent
        self.branch = branch
        self.split = split
        self.exit = exit
        self.pastDue = pastDue
        self.updateProfile = updateProfile
        self.callWebhook = callWebhook
        self.startJourney = startJourney
        self.updateLists = updateLists
    }

    /// The step's kind (`exit` when none is set; the validator rejects such files).
    public var kind: JourneyStepKind {
        if send != nil { return .send }
        if wait != nil { return .wait }
        if waitForEvent != nil { return .waitForEvent }
        if branch != nil { return .branch }
        if split != nil { return .split }
        if updateProfile != nil { return .updateProfile }
        if callWebhook != nil { return .callWebhook }
        if startJourney != nil { return .startJourney }
        if updateLists != nil { return .updateLists }
        return .exit
    }

    /// Every step id this step may go to explicitly.
    public var targets: [String] {
        var list: [String] = []
        if let next { list.append(next) }
        if let waitForEvent { list += [waitForEvent.onEvent, waitForEvent.onTimeout].compactMap { $0 } + (waitForEvent.paths ?? []).map(\.next) }
        if let branch { list += branch.cases.map(\.next) + [branch.default].compactMap { $0 } }
        if let split { list += split.groups.compactMap(\.next) }
        return list
    }
}
