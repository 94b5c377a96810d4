import Synchronization

/// A one-shot signal that asks services to finish what they hold and stop.
public final class GracefulShutdown: Sendable {
    private struct State {
        var triggered = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Creates an untriggered signal.
    public init() {}

    /// Whether shutdown was asked for.
    public var isTriggered: Bool { state.withLock { $0.triggered } }

    /// How many `wait` calls are parked until the trigger (tests wait for a sleeper with it).
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Asks every service to stop taking work. Later calls do nothing.
    public func trigger() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.triggered else { return [] }
            state.triggered = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once shutdown is triggered, or when the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.triggered || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Sleeps for `duration`, returning early (without throwing) when shutdown is triggered or the
    /// task is cancelled. Returns whether the full duration passed.
    @discardableResult
    public func sleep(for duration: Duration) async -> Bool {
        if isTriggered { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do { try await Task.sleep(for: duration); return true } catch { return false }
            }
            group.addTask {
                await self.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
