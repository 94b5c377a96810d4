import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// The first phase: each entry parsed into an input of its partition's user.
extension EvaluatorHandler {
    /// One parsed input.
    struct Input {
        var entry: StreamEntry
        var partition: Int
        var user: String
        var kind: Kind
        /// The feedback it applies besides its journey effects (`FeedbackWriter.plan`).
        var feedback: DeliveryFeedback?

        /// Whether it folds another identity's snapshot in.
        var isMerge: Bool {
            if case .merge = kind { return true }
            return false
        }

        /// Whether it asks to erase the user (`UserErasure.eventName` from a producer).
        var isErasure: Bool {
            guard case .event(let event, let fromHerald) = kind, !fromHerald else { return false }
            return event.type == .track && event.event == UserErasure.eventName
        }

        enum Kind {
            case event(Event, fromHerald: Bool)
            case timer(JourneyTimer)
            case refresh
            /// Hand this user over to `into` (the source side of an identity merge).
            case handover(into: String, mergeId: String)
            /// Fold another identity's snapshot into this user (the target side).
            case merge(IdentitySnapshot)

            var label: String {
                switch self {
                case .event(_, let fromHerald): return fromHerald ? "feedback" : "event"
                case .timer: return "timer"
                case .refresh: return "refresh"
                case .handover: return "handover"
                case .merge: return "merge"
                }
            }
        }
    }

    /// The usable inputs with their positions in the batch; each unusable entry's outcome is set to its refusal.
    func parseAll(_ entries: [StreamEntry], outcomes: inout [EntryOutcome]) -> [(Int, Input)] {
        var inputs: [(Int, Input)] = []
        for (position, entry) in entries.enumerated() {
            switch parse(entry) {
            case .success(let input): inputs.append((position, input))
            case .failure(let unusable): outcomes[position] = refuse(unusable)
            }
        }
        return inputs
    }

    func parse(_ entry: StreamEntry) -> Result<Input, EvaluatorInputError> {
        guard let partition = partitionsByStream[entry.stream] else { return .failure(.notAPartitionStream(entry.stream)) }
        let decoded: PartitionInput
        do {
            decoded = try PartitionInput(entry: entry)
        } catch {
            return .failure(.malformed(error))
        }
        let input: Input
        switch decoded {
        case .event(let event), .feedback(let event):
            let fromHerald = decoded.kind == .feedback
            input = Input(entry: entry, partition: partition, user: event.userKey, kind: .event(event, fromHerald: fromHerald))
        case .timer(let id, let dueAt, _, let payload):
            let timer: JourneyTimer?
            if let payload {
                timer = JourneyTimer(json: payload)
            } else {
                timer = dueAt.flatMap { JourneyTimer(member: id, dueAtMilliseconds: $0) }
            }
            guard let timer else { return .failure(.notAJourneyTimer(timerId: id)) }
            input = Input(entry: entry, partition: partition, user: timer.userId, kind: .timer(timer))
        case .refresh(let user):
            input = Input(entry: entry, partition: partition, user: user, kind: .refresh)
        case .handover(let user, let into, let mergeId):
            input = Input(entry: entry, partition: partition, user: user, kind: .handover(into: into, mergeId: mergeId))
        case .merge(let snapshot):
            input = Input(entry: entry, partition: partition, user: snapshot.into, kind: .merge(snapshot))
        }
        // Every key the input touches is built from this partition: another partition's user would
        // be evaluated against the wrong keys.
        let expected = keyspace.partition(ofUser: input.user)
        guard expected == partition else { return .failure(.wrongPartition(user: input.user, partition: partition, expected: expected)) }
        return .success(input)
    }

    /// The outcome for an input that is not applied: dead-lettered with the reason, and counted.
    func refuse(_ error: EvaluatorInputError) -> EntryOutcome {
        metrics.increment(.inputsRefused, ["reason": error.code])
        return .deadLetter(reason: error.description)
    }
}
