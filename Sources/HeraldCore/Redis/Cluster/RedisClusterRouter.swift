import Foundation

/// Routes pipelines over a Redis Cluster: a link per master, each command sent to the master of its
/// keys' slot, MOVED and ASK followed, TRYAGAIN, CLUSTERDOWN and unreachable nodes retried with
/// bounded backoff and a fresh slot map.
///
/// Not thread-safe: its owner (`RedisConnection`) calls it only on its own serial queue, where
/// blocking and sleeping are allowed (it is never Swift's cooperative pool).
final class RedisClusterRouter {
    private let configuration: RedisConfiguration
    private var topology: RedisClusterTopology?
    private var stale = true
    // A MOVED patches the map for the retry at hand; the whole map is read again on the next call.
    private var refreshOnNextCall = false
    private var links: [RedisNodeAddress: RedisNodeLink] = [:]
    /// Commands sent per node and redirects followed, for benchmarks.
    private(set) var statistics = RedisClusterStatistics()

    /// How many times one command is redirected or retried before the client gives up.
    static let maximumAttempts = 6

    private let interrupter: RedisInterrupter?

    init(configuration: RedisConfiguration, interrupter: RedisInterrupter? = nil) {
        self.configuration = configuration
        self.interrupter = interrupter
    }

    /// The masters of the current slot map.
    func masters() throws -> [RedisNodeAddress] {
        try refreshIfStale()
        return topology?.masters ?? []
    }

    /// The master serving `slot` in the current map.
    func master(for slot: RedisHashSlot) throws -> RedisNodeAddress? {
        try refreshIfStale()
        return topology?.master(for: slot)
    }

    /// Sends `command` to one master (a SCAN cursor belongs to the node that gave it).
    func send(_ command: RedisCommand, to node: RedisNodeAddress) throws -> RESPValue {
        try refreshIfStale()
        statistics.record(node: node, commands: 1)
        do {
            return try link(node).pipeline([command])[0]
        } catch {
            stale = true
            throw error
        }
    }

    /// Sends `command` to every master, in the order of `masters()`.
    func onEveryMaster(_ command: RedisCommand) throws -> [RESPValue] {
        try masters().map { try link($0).pipeline([command])[0] }
    }

    /// Sends `commands` and returns their replies in the caller's order; error replies stay in the
    /// array. Throws `RedisClientError.crossSlot` before sending anything when one command (or one
    /// MULTI … EXEC block) names keys of more than one slot.
    func pipeline(_ commands: [RedisCommand]) throws -> [RESPValue] {
        var units = try Self.units(of: commands)
        if refreshOnNextCall {
            stale = true
            refreshOnNextCall = false
        }
        var replies = [RESPValue](repeating: .null, count: commands.count)
        var backoff = Backoff(initial: .milliseconds(25), maximum: .milliseconds(400))
        for attempt in 1...Self.maximumAttempts {
            try refreshIfStale()
            guard let topology else { throw RedisClientError.clusterUnavailable(reason: "no slot map") }
            // Route each unit: to its slot's master, to an ASK target, or (keyless) to the first master.
            var plan: [RedisNodeAddress: [Int]] = [:]
            var order: [RedisNodeAddress] = []
            for (index, unit) in units.enumerated() {
                let node: RedisNodeAddress
                if let asked = unit.askTarget {
                    node = asked
                } else if let slot = unit.slot {
                    guard let master = topology.master(for: slot) else {
                        throw RedisClientError.clusterUnavailable(reason: "no master serves slot \(slot)")
                    }
                    node = master
                } else {
                    guard let first = topology.masters.first else { throw RedisClientError.clusterUnavailable(reason: "no masters") }
                    node = first
                }
                if plan[node] == nil { order.append(node) }
                plan[node, default: []].append(index)
            }
            // Connect every node first: a node that cannot be reached has been sent nothing, so the
            // whole pipeline can wait for a new map and go again.
            do {
                for node in order { try link(node).connect() }
            } catch let error as RedisClientError {
                stale = true
                if attempt == Self.maximumAttempts { throw error }
                usleep(UInt32(backoff.next().milliseconds * 1000))
                continue
            }
            // Write every node's part, then read them: the nodes work at the same time.
            var sent: [RedisNodeAddress: [RedisCommand]] = [:]
            var failure: (any Error)?
            if order.count > 1 {
                let sizes = order.map { node in plan[node]!.reduce(0) { $0 + units[$1].wireCount } }
                statistics.recordCrossNode(sizes.reduce(0, +) - (sizes.max() ?? 0))
            }
            for node in order {
                let batch = plan[node]!.flatMap { units[$0].commands(from: commands) }
                do {
                    try link(node).write(batch)
                    sent[node] = batch
                    statistics.record(node: node, commands: batch.count)
                } catch {
                    failure = failure ?? error
                }
            }
            var retry: [Int] = []
            var wait = false
            var unavailable: String?
            for node in order {
                guard let batch = sent[node] else { continue }
                let answers: [RESPValue]
                do {
                    answers = try link(node).finish(batch, replies: link(node).read(batch))
                } catch {
                    failure = failure ?? error
                    continue
                }
                var offset = 0
                for unitIndex in plan[node]! {
                    let unit = units[unitIndex]
                    let count = unit.wireCount
                    let unitReplies = Array(answers[offset..<(offset + count)].dropFirst(unit.askTarget == nil ? 0 : 1))
                    offset += count
                    switch Self.redirect(in: unitReplies) {
                    case .none:
                        for (position, commandIndex) in unit.indices.enumerated() { replies[commandIndex] = unitReplies[position] }
                    case .moved(let slot, let target):
                        self.topology?.move(slot, to: target)
                        refreshOnNextCall = true
                        statistics.recordRedirect()
                        units[unitIndex].askTarget = nil
                        retry.append(unitIndex)
                    case .ask(let target):
                        statistics.recordRedirect()
                        units[unitIndex].askTarget = target
                        retry.append(unitIndex)
                    case .tryAgain(let message):
                        units[unitIndex].askTarget = nil
                        stale = true
                        wait = true
                        unavailable = message
                        retry.append(unitIndex)
                    }
                }
            }
            if let failure {
                // Commands sent to a node whose socket failed may or may not have run: the caller
                // decides whether to send them again.
                stale = true
                throw failure
            }
            if retry.isEmpty { return replies }
            if attempt == Self.maximumAttempts {
                // A slot without a master (a failover under way) or keys mid-migration: not a loop.
                if let unavailable { throw RedisClientError.clusterUnavailable(reason: unavailable) }
                break
            }
            units = retry.map { units[$0] }
            if wait { usleep(UInt32(backoff.next().milliseconds * 1000)) }
        }
        throw RedisClientError.tooManyRedirections(command: units.first.map { commands[$0.indices[0]].name } ?? "")
    }

    /// Drops every socket.
    func disconnect() {
        for link in links.values { link.disconnect() }
        links = [:]
    }

    private func link(_ node: RedisNodeAddress) -> RedisNodeLink {
        if let link = links[node] { return link }
        let link = RedisNodeLink(address: node, configuration: configuration, interrupter: interrupter)
        links[node] = link
        return link
    }

    private func refreshIfStale() throws {
        guard stale || topology == nil else { return }
        var candidates: [RedisNodeAddress] = []
        for node in (topology?.masters ?? []) + configuration.clusterSeeds + (topology?.shards.flatMap(\.replicas) ?? [])
        where !candidates.contains(node) {
            candidates.append(node)
        }
        var lastError: any Error = RedisClientError.clusterUnavailable(reason: "no seed nodes")
        for node in candidates {
            do {
                let reply = try link(node).pipeline([.clusterSlots])[0]
                if case .error(let message) = reply { throw RedisServerError(command: "CLUSTER SLOTS", message: message) }
                let fresh = try RedisClusterTopology(clusterSlots: reply, queried: node)
                guard !fresh.masters.isEmpty else { continue }
                topology = fresh
                stale = false
                // Links to nodes that serve nothing any more (a failed master, a removed node) go.
                for (address, link) in links where !fresh.masters.contains(address) {
                    link.disconnect()
                    links[address] = nil
                }
                return
            } catch {
                lastError = error
                links[node]?.disconnect()
            }
        }
        if topology == nil { throw lastError }
        // Keep the old map (and try again next time) when no node answered.
    }

    /// The commands of one pipeline grouped into what must go to one node together: a single
    /// command, or a MULTI … EXEC block (with WAIT right after a unit kept with it).
    private static func units(of commands: [RedisCommand]) throws(RedisClientError) -> [RoutedUnit] {
        var units: [RoutedUnit] = []
        var open: RoutedUnit?
        for (index, command) in commands.enumerated() {
            let name = command.normalizedName
            let slot = try slot(of: command)
            if var block = open {
                block.indices.append(index)
                if let slot {
                    if let existing = block.slot, existing != slot {
                        throw .crossSlot(command: "MULTI … EXEC", slots: [existing.rawValue, slot.rawValue])
                    }
                    block.slot = slot
                }
                if name == "EXEC" || name == "DISCARD" {
                    units.append(block)
                    open = nil
                } else {
                    open = block
                }
                continue
            }
            if name == "MULTI" {
                open = RoutedUnit(indices: [index], slot: nil)
            } else if name == "WAIT", !units.isEmpty {
                // WAIT counts replicas of the node that took the writes before it.
                units[units.count - 1].indices.append(index)
            } else {
                units.append(RoutedUnit(indices: [index], slot: slot))
            }
        }
        if let open { units.append(open) }
        return units
    }

    private static func slot(of command: RedisCommand) throws(RedisClientError) -> RedisHashSlot? {
        let keys = command.keyArguments
        guard let first = keys.first else { return nil }
        let slot = RedisHashSlot(key: first)
        for key in keys.dropFirst() {
            let other = RedisHashSlot(key: key)
            if other != slot { throw .crossSlot(command: command.name, slots: [slot.rawValue, other.rawValue]) }
        }
        return slot
    }

    private enum Redirect {
        case none
        case moved(RedisHashSlot, RedisNodeAddress)
        case ask(RedisNodeAddress)
        case tryAgain(String)
    }

    private static func redirect(in replies: [RESPValue]) -> Redirect {
        for reply in replies {
            guard case .error(let message) = reply else { continue }
            let parts = message.split(separator: " ")
            switch parts.first {
            case "MOVED" where parts.count == 3:
                if let slot = Int(parts[1]), (0..<RedisHashSlot.count).contains(slot), let node = RedisNodeAddress(parts[2]) {
                    return .moved(RedisHashSlot(rawValue: slot), node)
                }
            case "ASK" where parts.count == 3:
                if let node = RedisNodeAddress(parts[2]) { return .ask(node) }
            case "TRYAGAIN", "CLUSTERDOWN":
                return .tryAgain(message)
            default:
                continue
            }
        }
        return .none
    }
}

/// A piece of a pipeline that goes to one node as a whole.
private struct RoutedUnit {
    /// The caller's command indices, in order.
    var indices: [Int]
    /// The slot of its keys, `nil` when it names none.
    var slot: RedisHashSlot?
    /// A node that answered ASK: the next try goes there, after ASKING.
    var askTarget: RedisNodeAddress?

    /// The commands to write: the unit's own, after ASKING when it follows an ASK redirect.
    func commands(from all: [RedisCommand]) -> [RedisCommand] {
        (askTarget == nil ? [] : [.asking]) + indices.map { all[$0] }
    }

    /// How many replies the node sends for it.
    var wireCount: Int { indices.count + (askTarget == nil ? 0 : 1) }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
