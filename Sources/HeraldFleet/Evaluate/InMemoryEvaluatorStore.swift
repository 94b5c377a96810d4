import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys
import Synchronization

/// The evaluator's store in memory, for tests of the handler's logic without Redis. It keeps the
/// rules the handler relies on: writes fenced by the partition lease (`FENCED`), idempotent by
/// the applied-input set (`SKIP`, remembered for the retention's window and capacity), empty
/// states deleted, handovers taken once (`ALREADY`), inactive users' erasures refused once they
/// are active again (`ACTIVE`), and entry-throttle slots by `EntryThrottleLog`, the engine's model
/// of `entry-throttle.lua`. Not kept: cap windows, inboxes and streams other than the outboxes.
public final class InMemoryEvaluatorStore: EvaluatorStore {
    /// The retention of applied input ids, as `apply-effects.lua` is given it.
    public let appliedRetention: AppliedInputRetention
    /// The trail's bound per user.
    public let trailRetention: TrailRetention
    let state: Mutex<Contents>

    /// Creates a store holding `contents`.
    public init(_ contents: Contents = Contents(), appliedRetention: AppliedInputRetention = .standard, trailRetention: TrailRetention = .standard) {
        self.state = Mutex(contents)
        self.appliedRetention = appliedRetention
        self.trailRetention = trailRetention
    }

    /// What the store holds now.
    public var contents: Contents { state.withLock { $0 } }

    /// Changes what the store holds (a test's setup, or a fault between batches).
    public func update(_ change: (inout Contents) -> Void) {
        state.withLock { change(&$0) }
    }

    /// Publishes `journeys` as the catalogue and moves the revision, as `heraldctl journeys publish` does.
    public func publish(_ journeys: [Journey]) {
        state.withLock {
            $0.catalog = JourneyCatalog(journeys: journeys)
            $0.revision += 1
        }
    }

    /// The revision.
    public func catalogRevision() async throws -> Int64 { state.withLock { $0.revision } }

    /// The catalogue.
    public func loadCatalog() async throws -> JourneyCatalog { state.withLock { $0.catalog } }

    /// The ids found in their partitions' applied sets.
    public func appliedInputs(_ entries: [Int: [String]]) async throws -> Set<String> {
        state.withLock { contents in
            var found = Set<String>()
            for (partition, ids) in entries {
                for id in ids where contents.applied[partition]?[id] != nil { found.insert(id) }
            }
            return found
        }
    }

    /// Each user's snapshot.
    public func load(_ users: [String: Int]) async throws -> [String: EvaluatorUserSnapshot] {
        state.withLock { contents in
            var snapshots: [String: EvaluatorUserSnapshot] = [:]
            for user in users.keys {
                snapshots[user] = EvaluatorUserSnapshot(
                    state: contents.states[user] ?? .none, profile: contents.profiles[user] ?? [:],
                    profileProblem: contents.unreadableProfiles[user], memberships: Set((contents.memberships[user] ?? [:]).keys),
                    mergedInto: contents.mergedInto[user])
            }
            return snapshots
        }
    }

    /// Each user's suppression record, empty when none is stored.
    public func suppressions(_ users: [String: Int]) async throws -> [String: EvaluatorStoredSuppression] {
        state.withLock { contents in
            var found: [String: EvaluatorStoredSuppression] = [:]
            for user in users.keys { found[user] = contents.suppressions[user] ?? .record(SuppressionRecord()) }
            return found
        }
    }

    /// Each request's slot by `EntryThrottleLog`, at `now` rounded down to the millisecond.
    public func reserveEntrySlots(_ requests: [EntrySlotRequest], now: Date) async throws -> [String: Date] {
        state.withLock { EntryThrottleLog.reserve(requests, in: &$0.throttles, now: now) }
    }

    /// Keeps each erasure's suppressions per address; no fleet stream is kept, so none is swept.
    public func prepareErasures(_ erasures: [EvaluatorErasure]) async throws -> [Int?] {
        state.withLock { contents in
            for erasure in erasures {
                for entry in erasure.suppressions.entries {
                    guard let address = entry.address ?? UserErasure.address(channel: entry.channel, profile: erasure.profile) else { continue }
                    let field = [entry.channel.rawValue, entry.category?.rawValue ?? "all", entry.reason.rawValue].joined(separator: "|")
                    contents.erasedSuppressions[AddressHash.of(channel: entry.channel, address: address), default: [:]][field] = ISO8601.format(entry.since)
                }
            }
            return erasures.map { erasure in
                if let since = erasure.inactiveSince, !((contents.activity[erasure.user]).map { $0 <= since } ?? false) { return nil }
                return 0
            }
        }
    }

    /// Appends the record.
    public func recordErasure(_ record: EvaluatorErasureRecord) async throws {
        state.withLock { $0.erasureRecords.append(record) }
    }

    /// Moves each waiting snapshot to the delivered merges (a snapshot delivered already is gone).
    public func deliverHandovers(_ pending: [EvaluatorPendingHandover]) async throws {
        state.withLock { contents in
            for item in pending {
                if let snapshot = contents.handovers.removeValue(forKey: item.mergeId) { contents.deliveredMerges.append(snapshot) }
            }
        }
    }

    /// Records each forwarded input.
    public func forward(_ inputs: [EvaluatorForward], now: Date) async throws -> [String?] {
        state.withLock { $0.forwarded += inputs }
        return inputs.map { _ in nil }
    }

    /// Appends the records.
    public func appendStatusRecords(_ records: [EvaluatorStatusRecord]) async throws {
        state.withLock { $0.statusRecords += records }
    }
}
