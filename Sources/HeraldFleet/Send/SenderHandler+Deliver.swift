import Foundation
import HeraldCore
import HeraldDelivery
import Synchronization

extension SenderHandler {
    /// Calls the provider for every job that is ready, at most `sendConcurrency` at once, and
    /// records each answer as soon as it returns: a call's slot is free only once its outcome is
    /// in the store, so at any instant at most `sendConcurrency` calls are in flight or unrecorded.
    /// That is the whole window in which a crash can leave a provider call without a record.
    ///
    /// Outcomes that return together are written in one pipeline. Returns the indices of the jobs
    /// it called the provider for (their outcomes are recorded).
    func deliverAndRecord(_ jobs: inout [Job], store: any SenderStore, now: Date) async throws -> Set<Int> {
        let ready = jobs.indices.filter { jobs[$0].isOpen && jobs[$0].message != nil }
        if ready.isEmpty { return [] }
        let provider = self.provider
        let limit = max(1, configuration.sendConcurrency)
        let messages = ready.map { jobs[$0].message! }
        let answered = ProviderAnswers()
        var recorded = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func start() {
                let offset = next
                next += 1
                group.addTask {
                    let outcome: Job.Outcome
                    do throws(ProviderError) {
                        let receipt = try await provider.deliver(messages[offset])
                        self.recentlySent.withLock { $0.insert(messages[offset].idempotencyKey, providerMessageId: receipt.providerMessageId) }
                        outcome = .sent(receipt, at: Date())
                    } catch {
                        outcome = .failed(error)
                    }
                    answered.append(offset, outcome)
                }
            }
            while next < min(limit, ready.count) { start() }
            while recorded < ready.count {
                let batch = answered.takeAll()
                if batch.isEmpty {
                    // Wait for the next call to return; its answer is then in `answered`.
                    _ = try await group.next()
                    continue
                }
                var records: [SenderOutcomeRecord] = []
                var wakeScheduler = false
                for (offset, outcome) in batch {
                    let index = ready[offset]
                    jobs[index].outcome = outcome
                    if let record = record(jobs[index], now: now, wakeScheduler: &wakeScheduler) { records.append(record) }
                }
                try await store.record(records, wakeScheduler: wakeScheduler)
                recorded += batch.count
                while next < ready.count && next - recorded < limit { start() }
            }
        }
        return Set(ready)
    }
}

/// Provider answers that returned and are not recorded yet, shared by the calls of one batch.
final class ProviderAnswers: Sendable {
    private let answers = Mutex<[(Int, SenderHandler.Job.Outcome)]>([])

    func append(_ offset: Int, _ outcome: SenderHandler.Job.Outcome) {
        answers.withLock { $0.append((offset, outcome)) }
    }

    func takeAll() -> [(Int, SenderHandler.Job.Outcome)] {
        answers.withLock { answers in
            defer { answers.removeAll(keepingCapacity: true) }
            return answers
        }
    }
}
