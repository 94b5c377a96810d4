import CCurl
import Foundation

/// A fixed set of `CurlWorker` threads; a job goes to the least busy one.
final class CurlWorkerPool: Sendable {
    private let workers: [CurlWorker]

    /// Starts `count` worker threads (at least one), named `name-0`, `name-1` … (Linux keeps 15 characters).
    init(count: Int, name: String) {
        workers = (0..<max(1, count)).map { CurlWorker(name: "\(name)-\($0)") }
    }

    /// The OS threads of the workers that have started (for tests that check where jobs run).
    var threads: [pthread_t] {
        workers.compactMap(\.thread)
    }

    deinit {
        for worker in workers { worker.stop() }
    }

    /// Runs `body` on a worker thread with a reset easy handle (`nil` when
    /// libcurl could not allocate one) and returns its result, suspending
    /// (not blocking) the calling task meanwhile.
    func run<Value: Sendable>(_ body: @escaping @Sendable (UnsafeMutableRawPointer?) -> Value) async -> Value {
        let worker = workers.min { $0.load < $1.load } ?? workers[0]
        return await withCheckedContinuation { continuation in
            worker.submit { handle in continuation.resume(returning: body(handle)) }
        }
    }
}
