/// Ends the instance.
public struct ExitStep: Sendable, Hashable, Codable {
    /// Recorded as the exit reason; `exitStep` when absent.
    public var reason: String?

    /// Creates an exit step.
    public init(reason: String? = nil) {
        self.reason = reason
    }
}
