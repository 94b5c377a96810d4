/// The kinds of `SimulationDecision`, named as their `record` member in `simulate --json`.
public enum SimulationDecisionKind: String, Sendable, Hashable, CaseIterable {
    /// A user entered: `version`, `instanceId`, `key`, and `group` once a split assigned one.
    case entered
    /// A trigger matched but the user did not enter: `reason`, and `because` one of `reentry`,
    /// `liveCap`, `instanceLimit`, `concurrencyKey`, `conditions`, `pastDue`, `schedule`.
    case notEntered
    /// A split assigned a group: `instanceId`, `step`, `group`, `assignment`.
    case split
    /// A new trigger restarted a live instance's wait: `instanceId`, `step`, `resets`, `until`.
    case reset
    /// A `waitForEvent` step with action paths ended: `instanceId`, `step`, `event` (null on the
    /// timeout), `path` (the path's position, or `timeout`), `name` (a named path's) and `next`.
    case path
    /// A conversion: `instanceId`, `revenue`, `attributedStep`, `idempotencyKey`, and `group` when
    /// a split assigned the instance one (a holdout's conversion included).
    case goal
    /// A timer handled late beyond `pastDueAfter`: `instanceId`, `step` (absent for a trigger),
    /// `dueAt`, `latenessMs`, `policy` and what it did (`decision`).
    case pastDue
    /// A send the past-due policy skipped: `instanceId`, `step`, `template`.
    case sendSkipped
    /// With `--render`: a send's rendered `message` and the `context` it was rendered from.
    case rendered
    /// A send a frequency cap skipped: `instanceId`, `step`, `template`, `cap` (`journey` or
    /// `step`), `reason`.
    case sendCapped
    /// The entry throttle queued an entry: `version`, `instanceId`, `until` (its slot; the
    /// `entered` record follows then).
    case queued
    /// A `bestTime` wait chose its time: `instanceId`, `step`, `time` (local `HH:MM`), `zone`, `basis`
    /// (`learned`, `tooLittleHistory`, `noHourWithinBound`), `engagements`, `until` (the wait's end).
    case sendTime
    /// An `updateProfile` step: `instanceId`, `step`, `set` (rendered values), `unset`, `increment`.
    case profileUpdated
    /// An `updateLists` step: `instanceId`, `step`, `added`, `removed` (real changes only).
    case listsUpdated
    /// A `callWebhook` step's request to the webhook sender: `instanceId`, `step`, `method`, `url`
    /// (as written), `category`, `idempotencyKey`.
    case webhookCall
    /// A `startJourney` step: `instanceId`, `step`, `target`; the target's `entered` record then
    /// carries `startedBy` (`journey`, `instanceId`, `step`), or a `notEntered` record says why not.
    case journeyStarted
}
