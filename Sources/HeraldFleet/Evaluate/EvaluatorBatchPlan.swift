/// The writes one batch's evaluation decided, and what follows each once applied.
struct EvaluatorBatchPlan {
    /// The writes, in stream order.
    private(set) var writes: [EvaluatorWrite] = []
    /// Each write's entry position in the batch.
    private(set) var positions: [Int] = []
    /// The erasures among the writes (their indexes), with their records' requester and request.
    var erasures: [(write: Int, erasure: EvaluatorErasure, requestedBy: String, request: String)] = []
    /// The handovers among the writes (their indexes).
    var handovers: [(write: Int, pending: EvaluatorPendingHandover)] = []
    /// Inputs of merged identities (their entry positions), each to forward (`nil`: nothing to
    /// forward) once the handover write before it, if any, applied.
    var forwards: [(position: Int, forward: EvaluatorForward?, after: Int?)] = []
    /// Feedback status records by write index, appended once their write applied.
    var statusRecords: [Int: EvaluatorStatusRecord] = [:]
    /// Whether a write schedules a timer due soon.
    var wakeScheduler = false

    /// Adds a write for the entry at `position`; returns its index.
    @discardableResult
    mutating func add(_ write: EvaluatorWrite, position: Int) -> Int {
        writes.append(write)
        positions.append(position)
        return writes.count - 1
    }

    /// The entry position of a write.
    func position(of write: Int) -> Int { positions[write] }
}
