import HeraldCore

/// Why the evaluator does not apply a partition input; its description is the dead-letter reason.
public enum EvaluatorInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry came from a stream that is not one of this keyspace's partition events streams.
    case notAPartitionStream(RedisKey)
    /// The entry is not a `PartitionInput`.
    case malformed(PartitionInputError)
    /// A timer entry whose payload is not a journey timer.
    case notAJourneyTimer(timerId: String)
    /// The input is about a user of another partition, so this partition's keys are not theirs.
    case wrongPartition(user: String, partition: Int, expected: Int)
    /// The user's stored journey state exists but cannot be decoded.
    case unreadableState(user: String, partition: Int, reason: String)
    /// The user's profile cannot be read (the key holds something other than a hash).
    case unreadableProfile(user: String, partition: Int, reason: String)
    /// The input carries feedback that changes suppressions, and the user's stored suppression
    /// record cannot be read.
    case unreadableSuppression(user: String, partition: Int, event: String, reason: String)

    /// A stable label for metrics.
    public var code: String {
        switch self {
        case .notAPartitionStream: return "not_a_partition_stream"
        case .malformed: return "malformed"
        case .notAJourneyTimer: return "not_a_journey_timer"
        case .wrongPartition: return "wrong_partition"
        case .unreadableState: return "unreadable_state"
        case .unreadableProfile: return "unreadable_profile"
        case .unreadableSuppression: return "unreadable_suppression"
        }
    }

    /// A one-line explanation naming the user and partition, and what an operator does next.
    public var description: String {
        let replay = "repair or delete the key, then replay this entry from the dead-letter stream"
        switch self {
        case .notAPartitionStream(let stream):
            return "not a partition events stream: \(stream)"
        case .malformed(let error):
            return error.description
        case .notAJourneyTimer(let id):
            return "timer entry '\(id)' without a valid journey timer payload"
        case .wrongPartition(let user, let partition, let expected):
            return "input for user '\(user)' on partition \(partition), but the user belongs to partition \(expected)"
        case .unreadableState(let user, let partition, let reason):
            return "journey state of user '\(user)' in partition \(partition) cannot be decoded (\(reason)); "
                + "the input was not evaluated and the stored state is unchanged: \(replay)"
        case .unreadableProfile(let user, let partition, let reason):
            return "profile of user '\(user)' in partition \(partition) cannot be read (\(reason)); "
                + "the input was not evaluated: \(replay)"
        case .unreadableSuppression(let user, let partition, let event, let reason):
            return "suppression record of user '\(user)' in partition \(partition) cannot be read (\(reason)); "
                + "'\(event)' was not applied and the stored record is unchanged: \(replay)"
        }
    }
}
