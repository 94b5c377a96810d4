import Glibc
import Synchronization

/// Lets a task's cancellation end the blocking command (`XREADGROUP … BLOCK`, `BLPOP`) that its
/// connection's queue thread is parked in.
///
/// The caller reserves a call number, and its cancellation handler cancels that number. A call
/// cancelled before the queue reaches it never starts. A call that has started has its socket shut
/// down, so hiredis's read returns at once and the link drops the connection, as it does after any
/// I/O failure; the next command connects again.
final class RedisInterrupter: Sendable {
    private struct State {
        var nextCall = 0
        var running: Int?
        var cancelled: Set<Int> = []
        var sockets: Set<Int32> = []
    }

    private let state = Mutex(State())

    /// A number for a call about to be queued.
    func reserve() -> Int {
        state.withLock { state in
            state.nextCall += 1
            return state.nextCall
        }
    }

    /// The task waiting for `call` was cancelled: end it if it runs, or keep it from starting.
    func cancel(_ call: Int) {
        state.withLock { state in
            state.cancelled.insert(call)
            // A link forgets its socket under this lock before closing it, so a descriptor shut
            // down here is still the call's own, never a number reused by another socket.
            if state.running == call {
                for socket in state.sockets { _ = shutdown(socket, Int32(SHUT_RDWR)) }
            }
        }
    }

    /// On the queue: `call` begins; `false` when it was cancelled while it waited.
    func start(_ call: Int) -> Bool {
        state.withLock { state in
            if state.cancelled.remove(call) != nil { return false }
            state.running = call
            return true
        }
    }

    /// On the queue, from a link about to wait for replies: the socket to shut down on cancellation.
    func watch(socket: Int32) {
        state.withLock { state in
            guard let running = state.running else { return }
            state.sockets.insert(socket)
            if state.cancelled.contains(running) { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    /// On the queue, from a link about to close `socket`: it may no longer be shut down.
    func forget(socket: Int32) {
        _ = state.withLock { $0.sockets.remove(socket) }
    }

    /// On the queue: `call` is over; returns whether it was cancelled while it ran.
    func finish(_ call: Int) -> Bool {
        state.withLock { state in
            state.running = nil
            state.sockets.removeAll()
            return state.cancelled.remove(call) != nil
        }
    }
}
