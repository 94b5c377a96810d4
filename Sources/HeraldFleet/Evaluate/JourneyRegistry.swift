import Foundation
import HeraldCore
import HeraldJourneys
import HeraldTemplates

/// Published journeys in Redis: `heraldctl journeys publish` stores each changed file as a new
/// version; evaluators load every version (live instances finish on the version they entered) and
/// reload when the revision counter moves, without a restart.
public struct JourneyRegistry: Sendable {
    /// Where the registry lives.
    public var keyspace: Keyspace

    /// Creates a registry view.
    public init(keyspace: Keyspace) { self.keyspace = keyspace }

    /// What publishing did with one file.
    public struct Publication: Sendable, Hashable {
        /// The journey id.
        public var id: String
        /// The version now current.
        public var version: Int
        /// Whether this publish stored a new version (false when the definition was unchanged).
        public var isNew: Bool
    }

    /// Validates and publishes every `*.json` journey in `directory` (or one file). Nothing is
    /// stored if any file has a validation issue (with `templates`, a send step whose template is
    /// missing or broken is one); the issues are thrown.
    public func publish(_ url: URL, connection: RedisConnection, templates: TemplateInventory? = nil) async throws -> [Publication] {
        let isDirectory = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
        let files = isDirectory
            ? try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            : [url]
        var documents: [(Journey, JSONValue)] = []
        var issues: [JourneyValidationIssue] = []
        for file in files {
            let data = try Data(contentsOf: file)
            let found = JourneyValidator.validate(data: data, file: file.lastPathComponent, templates: templates)
            if !found.isEmpty { issues += found; continue }
            documents.append((try Journey.decode(data), try JSONValue.parse(Array(data))))
        }
        if issues.isEmpty, isDirectory {
            issues = JourneyValidator.summaryIssues(zip(files, documents).map { ($0.lastPathComponent, $1.0.summarizedEvents) })
        }
        if !issues.isEmpty { throw JourneyPublishError.invalid(issues) }
        var publications: [Publication] = []
        for (journey, document) in documents {
            let latestReply = try await connection.send(.hget(keyspace.journeys, field: journey.id))
            guard let latest = latestReply.isNull ? 0 : latestReply.int.map(Int.init) else {
                throw JourneyPublishError.unreadableVersion(journey: journey.id, stored: latestReply.string ?? "\(latestReply)")
            }
            var definition = document.objectValue ?? [:]
            definition.removeValue(forKey: "$schema")
            definition["version"] = nil
            if latest > 0, let stored = try await connection.send(.hget(keyspace.journeys, field: "\(journey.id):v\(latest)")).bytes {
                // A stored version that does not parse never equals the file: the file becomes a
                // new version and the unreadable one is left as it is.
                var previous = (try? JSONValue.parse(stored))?.objectValue ?? [:]
                previous["version"] = nil
                if JSONValue.object(previous) == JSONValue.object(definition) {
                    publications.append(Publication(id: journey.id, version: latest, isNew: false))
                    continue
                }
            }
            let version = latest + 1
            definition["version"] = .number(Double(version))
            try Self.check(try await connection.pipeline([
                .hset(keyspace.journeys, fields: [("\(journey.id):v\(version)", JSONValue.object(definition).serialized()), (journey.id, version)]),
                .incr(keyspace.journeysRevision),
            ]), command: "HSET/INCR journeys")
            publications.append(Publication(id: journey.id, version: version, isNew: true))
        }
        return publications
    }

    /// Asks the evaluators to re-check every known user (one `refresh` input per profile), so a newly
    /// published date trigger ("Black Friday at 09:00 local", a yearly birthday) is scheduled for
    /// users who send no event before it is due. Returns how many users were queued.
    @discardableResult
    public func refreshAllUsers(connection: RedisConnection) async throws -> Int {
        var queued = 0
        for partition in keyspace.allPartitions {
            let prefix = keyspace.profile(partition, user: "").rawValue
            try await connection.scanKeys(matching: prefix + "*") { keys in
                let users = keys.map { String($0.rawValue.dropFirst(prefix.count)) }
                try Self.check(try await connection.pipeline(users.map { user in
                    PartitionInput.refresh(user: user).command(to: keyspace.events(partition))
                }), command: "XADD refresh")
                queued += users.count
            }
        }
        return queued
    }

    /// The revision counter, bumped on every publish.
    public func revision(connection: RedisConnection) async throws -> Int64 {
        let reply = try await connection.send(.get(keyspace.journeysRevision))
        if reply.isNull { return 0 }
        guard let revision = reply.int else {
            throw RedisServerError(command: "GET", message: "\(keyspace.journeysRevision) holds '\(reply.string ?? "")', not a revision number")
        }
        return revision
    }

    /// Throws the first error reply of a pipeline, so a refused write is never reported as done.
    private static func check(_ replies: [RESPValue], command: String) throws {
        for reply in replies {
            if case .error(let message) = reply { throw RedisServerError(command: command, message: message) }
        }
    }

    /// Every published version of every journey.
    public func load(connection: RedisConnection) async throws -> JourneyCatalog {
        let reply = try await connection.send(.hgetall(keyspace.journeys))
        let journeys = try reply.fieldPairs.compactMap { field, value -> Journey? in
            guard field.contains(":v"), let bytes = value.bytes else { return nil }
            return try Journey.decode(Data(bytes))
        }
        return JourneyCatalog(journeys: journeys)
    }
}
