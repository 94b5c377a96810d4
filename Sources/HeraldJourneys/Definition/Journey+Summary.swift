extension Journey {
    /// Every condition of the journey: the trigger's and exits' `where`, branch cases and
    /// `waitForEvent` filters.
    public var conditions: [JourneyCondition] {
        var list: [JourneyCondition] = []
        if let filter = trigger.behaviour?.filter { list.append(filter) }
        if let filter = trigger.inactivity?.filter { list.append(filter) }
        if let filter = trigger.date?.filter { list.append(filter) }
        if let filter = trigger.milestone?.filter { list.append(filter) }
        list += (exit?.on ?? []).compactMap(\.filter)
        for step in steps {
            list += (step.branch?.cases ?? []).map(\.when)
            list += (step.waitForEvent?.choices ?? []).compactMap(\.filter)
        }
        return list
    }

    /// The event names its conditions count or test for recency (`count`, `lastSeen`): the
    /// names the user's event summary keeps (`UserJourneyState.activity`).
    public var summarizedEvents: Set<String> {
        conditions.reduce(into: []) { $0.formUnion($1.summarizedEvents) }
    }
}
