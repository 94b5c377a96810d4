import Foundation
import Testing

@testable import HeraldDelivery

@Suite("CurlWorkerPool")
struct CurlWorkerPoolTests {
    @Test("jobs run on the pool's own threads, each with a handle, never on the cooperative pool")
    func dedicatedThreads() async {
        let pool = CurlWorkerPool(count: 2, name: "hd-test")
        let seen = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await pool.run { handle in
                        // Hold the thread briefly so both workers get jobs.
                        Thread.sleep(forTimeInterval: 0.01)
                        return (Thread.current.name ?? "") + (handle == nil ? " without handle" : "")
                    }
                }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(seen == ["hd-test-0", "hd-test-1"])
    }
}
