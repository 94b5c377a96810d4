import Foundation

/// Polls `condition` every 50 ms until it holds or `timeout` seconds pass, then gives its last
/// answer: the one way a test waits for something another task or process does.
///
/// Throws what `condition` throws, and `CancellationError` when the test's task is cancelled.
public func eventually(timeout: TimeInterval = 15, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64((timeout * 1000).rounded())))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
