import Foundation

/// The published journeys, every version addressable by (id, version), indexed by event name so
/// an event that concerns no journey costs a few dictionary misses.
public struct JourneyCatalog: Sendable {
    /// Every journey version, ordered by id then version.
    public let journeys: [Journey]
    private let versions: [String: [Int: Journey]]
    private let latestById: [String: Journey]
    private let interestByVersion: [String: Set<String>]
    /// Latest-version journeys entered by an event name (behaviour and occurrence-milestone triggers).
    let triggerIndex: [String: [String]]
    /// Latest-version inactivity journeys re-armed by an event name.
    let inactivityIndex: [String: [String]]
    /// Latest-version journeys with date triggers.
    let dateJourneys: [String]
    /// Latest-version journeys with trait-crossing milestones.
    let traitMilestones: [String]
    /// Latest-version journeys with audience triggers.
    let audienceJourneys: [String]
    /// Whether any journey version ends instances on a profile condition (`exit.audience`, `exit.leavesAudience`).
    let hasAudienceExits: Bool
    /// Every event name any journey version reacts to; other events only touch date scheduling.
    let relevantEvents: Set<String>
    /// Every event name any journey version's conditions count or test for recency: the names
    /// the users' event summaries keep (`UserJourneyState.activity`).
    public let summarizedEvents: Set<String>

    /// Builds a catalog; for a repeated (id, version) the later journey wins.
    public init(journeys: [Journey]) {
        var versions: [String: [Int: Journey]] = [:]
        for journey in journeys { versions[journey.id, default: [:]][journey.version] = journey }
        self.versions = versions
        self.journeys = versions.keys.sorted().flatMap { id in versions[id]!.keys.sorted().map { versions[id]![$0]! } }
        var latest: [String: Journey] = [:]
        var interest: [String: Set<String>] = [:]
        var triggers: [String: [String]] = [:]
        var inactivity: [String: [String]] = [:]
        var dates: [String] = []
        var traits: [String] = []
        var audiences: [String] = []
        var audienceExits = false
        for (id, byVersion) in versions {
            for (version, journey) in byVersion {
                interest[Self.key(id, version)] = journey.interest
                if journey.exit?.audience != nil || journey.exit?.leavesAudience == true { audienceExits = true }
            }
            guard let newest = byVersion.keys.max(), let journey = byVersion[newest] else { continue }
            latest[id] = journey
            if let behaviour = journey.trigger.behaviour { triggers[behaviour.event, default: []].append(id) }
            if let milestone = journey.trigger.milestone {
                if let event = milestone.event { triggers[event, default: []].append(id) }
                if milestone.trait != nil { traits.append(id) }
            }
            if let rule = journey.trigger.inactivity { inactivity[rule.event, default: []].append(id) }
            if journey.trigger.date != nil { dates.append(id) }
            if journey.trigger.audience != nil { audiences.append(id) }
        }
        latestById = latest
        interestByVersion = interest
        relevantEvents = interest.values.reduce(into: Set(inactivity.keys)) { $0.formUnion($1) }
        summarizedEvents = journeys.reduce(into: []) { $0.formUnion($1.summarizedEvents) }
        triggerIndex = triggers.mapValues { $0.sorted() }
        inactivityIndex = inactivity.mapValues { $0.sorted() }
        dateJourneys = dates.sorted()
        traitMilestones = traits.sorted()
        audienceJourneys = audiences.sorted()
        hasAudienceExits = audienceExits
    }

    /// Whether an identify (or refresh) concerns some journey: trait crossings, audiences, audience exits.
    var watchesProfiles: Bool {
        !traitMilestones.isEmpty || !audienceJourneys.isEmpty || hasAudienceExits
    }

    /// Loads every `*.json` file in `directory`; any invalid file fails the load with its issues.
    public static func load(directory: URL) throws(JourneyCatalogError) -> JourneyCatalog {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(file: directory.path, reason: error.localizedDescription)
        }
        var journeys: [Journey] = []
        var origins: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(".json") {
            let url = directory.appendingPathComponent(name)
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw .unreadable(file: url.path, reason: error.localizedDescription)
            }
            let (journey, issues) = JourneyValidator.check(data: data, file: url.path)
            guard let journey, issues.isEmpty else { throw .invalid(file: url.path, issues: issues) }
            let key = Self.key(journey.id, journey.version)
            if let earlier = origins[key] {
                throw .duplicate(id: journey.id, version: journey.version, files: [earlier, url.path])
            }
            origins[key] = url.path
            journeys.append(journey)
        }
        return JourneyCatalog(journeys: journeys)
    }

    /// The latest version of journey `id`: the one new users enter.
    public func journey(id: String) -> Journey? {
        latestById[id]
    }

    /// A specific version of journey `id`: the one a live instance runs on.
    public func journey(id: String, version: Int) -> Journey? {
        versions[id]?[version]
    }

    /// The journey ids.
    public var ids: [String] { latestById.keys.sorted() }

    /// The event names a live instance of (id, version) reacts to.
    func interest(id: String, version: Int) -> Set<String> {
        interestByVersion[Self.key(id, version)] ?? []
    }

    private static func key(_ id: String, _ version: Int) -> String { "\(id)#\(version)" }
}
