import CCurl
import Foundation

/// One dedicated thread that owns one libcurl easy handle and runs jobs on it one at a time.
///
/// `curl_easy_perform` blocks, so it must stay off Swift's cooperative pool; an easy handle also must
/// not be used from two threads at once. Reusing the handle keeps its connection cache, so requests to
/// the same host reuse the TCP/TLS connection (keep-alive, and one HTTP/2 connection for APNs).
final class CurlWorker: @unchecked Sendable {
    // @unchecked Sendable: `jobs`, `stopped`, `queued` and `osThread` are only read or written while holding
    // `condition`; the easy handle never leaves the worker thread.
    private let condition = NSCondition()
    private var jobs: [@Sendable (UnsafeMutableRawPointer?) -> Void] = []
    private var stopped = false
    private var queued = 0
    private var osThread: pthread_t?

    /// Starts the thread.
    init(name: String) {
        _ = CurlGlobal.isInitialized
        let thread = Thread { [self] in
            // Named from inside so the OS thread carries it for gdb and top -H (Linux keeps 15 bytes).
            Thread.current.name = name
            condition.lock()
            osThread = pthread_self()
            condition.unlock()
            runLoop()
        }
        thread.start()
    }

    /// The worker's OS thread, once it has started.
    var thread: pthread_t? {
        condition.lock()
        defer { condition.unlock() }
        return osThread
    }

    /// Jobs waiting or running; used to pick the least busy worker.
    var load: Int {
        condition.lock()
        defer { condition.unlock() }
        return queued
    }

    /// Queues `job`; it runs on the worker thread with the worker's easy handle, freshly reset
    /// (`nil` only when libcurl could not allocate one).
    func submit(_ job: @escaping @Sendable (UnsafeMutableRawPointer?) -> Void) {
        condition.lock()
        jobs.append(job)
        queued += 1
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish the queued jobs and exit.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        var handle = curl_easy_init()
        defer { if let handle { curl_easy_cleanup(handle) } }
        while let job = nextJob() {
            // curl_easy_init only fails when memory is short; try again per job so a caller gets an
            // error (the job sees nil) instead of waiting forever.
            if handle == nil { handle = curl_easy_init() }
            if let handle { curl_easy_reset(handle) }
            job(handle)
            finishJob()
        }
    }

    private func nextJob() -> (@Sendable (UnsafeMutableRawPointer?) -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !stopped { condition.wait() }
        if jobs.isEmpty { return nil }
        return jobs.removeFirst()
    }

    private func finishJob() {
        condition.lock()
        queued -= 1
        condition.unlock()
    }
}
