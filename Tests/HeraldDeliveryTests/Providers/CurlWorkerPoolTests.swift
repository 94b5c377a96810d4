import Foundation
import Testing

@testable import HeraldDelivery

@Suite("CurlWorkerPool")
struct CurlWorkerPoolTests {
    @Test("jobs run on the pool's own threads, each with a handle, never on the cooperative pool")
    func dedicatedThreads() async {
        let pool = CurlWorkerPool(count: 2, name: "hd-test")
        // Every job holds its thread until both workers have started one, so both get jobs.
        let started = NSCondition()
        nonisolated(unsafe) var threads = Set<UInt>()
        let seen = await withTaskGroup(of: UInt.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await pool.run { handle in
                        started.lock()
                        threads.insert(UInt(pthread_self()))
                        started.broadcast()
                        let deadline = Date().addingTimeInterval(10)
                        while threads.count < 2 && started.wait(until: deadline) {}
                        started.unlock()
                        return handle == nil ? 0 : UInt(pthread_self())
                    }
                }
            }
            return await group.reduce(into: Set<UInt>()) { $0.insert($1) }
        }
        #expect(seen == Set(pool.threads.map { UInt($0) }))
        #expect(seen.count == 2)
    }
}
