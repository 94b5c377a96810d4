/// One input's atomic write (`EvaluatorStore.apply`), fenced by the partition lease held as its
/// lease value and recorded under its entry id in the partition's applied-input set (`{pN}:applied`).
public enum EvaluatorWrite: Sendable {
    /// A journey evaluation's effects (`apply-effects.lua`).
    case effects(EvaluatorEffectSet)
    /// A user's erasure (`forget.lua`).
    case erasure(EvaluatorErasure)
    /// The source side of an identity merge: snapshot and tombstone the user (`handover.lua`).
    case handover(EvaluatorHandover)

    /// The input's stream entry id.
    public var entryID: String {
        switch self {
        case .effects(let set): return set.entryID
        case .erasure(let erasure): return erasure.entryID
        case .handover(let handover): return handover.entryID
        }
    }
}
