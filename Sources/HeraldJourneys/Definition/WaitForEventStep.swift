/// Waits for the user to do something, matching the trigger on `match` paths, until `timeout`.
///
/// Two forms: one `event` (with an optional `where`) that goes to `onEvent`, or several action
/// `paths`, each an event with its own `where`, `match` and `next`, the first matching one taken.
/// Either way the timeout goes to `onTimeout`.
public struct WaitForEventStep: Sendable, Hashable, Codable {
    /// The awaited event name (the single-event form).
    public var event: String?
    /// A condition the awaited event must meet (the single-event form).
    public var filter: JourneyCondition?
    /// Action paths, tried in order (instead of `event`).
    public var paths: [EventPath]?
    /// Paths (e.g. `properties.cart_id`) whose values must equal the trigger event's.
    public var match: [String]?
    /// How long to wait.
    public var timeout: JourneyDuration
    /// Where to go when the event arrives; the next step when absent.
    public var onEvent: String?
    /// Where to go on timeout; the next step when absent.
    public var onTimeout: String?

    private enum CodingKeys: String, CodingKey {
        case event, paths, match, timeout, onEvent, onTimeout
        case filter = "where"
    }

    /// Creates an event wait.
    public init(
        event: String? = nil, filter: JourneyCondition? = nil, paths: [EventPath]? = nil, match: [String]? = nil, timeout: JourneyDuration,
        onEvent: String? = nil, onTimeout: String? = nil
    ) {
        self.event = event
        self.filter = filter
        self.paths = paths
        self.match = match
        self.timeout = timeout
        self.onEvent = onEvent
        self.onTimeout = onTimeout
    }

    /// The paths the step offers: its `paths`, or the single event as one path to `onEvent`
    /// (`next` empty: the following step).
    public var choices: [EventPath] {
        if let paths { return paths }
        guard let event else { return [] }
        return [EventPath(event: event, filter: filter, match: match, next: onEvent ?? "")]
    }

    /// Every event name the step waits for.
    public var events: [String] { choices.map(\.event) }

    /// The awaited events for people: `'A'`, or `'A' or 'B'`.
    public var label: String {
        var names: [String] = []
        for name in events where !names.contains(name) { names.append(name) }
        return names.map { "'\($0)'" }.joined(separator: " or ")
    }
}
