/// How `AtomicOperations.listMerge` orders a list's elements, newest first.
public enum ListMergeOrder: String, Sendable, Hashable {
    /// By the element's leading Unix-millisecond time (a compact trail entry).
    case leadingMilliseconds = "ms"
    /// By the element's JSON member `"at"`, an ISO 8601 UTC time (an inbox item).
    case jsonAt = "at"
}
