import Foundation
import QuoteClient
import QuoteCore
import Testing

/// Three real quoted processes in a full mesh, taking random adds, deletes and re-adds on
/// random nodes while random replication links are cut (a node restarted, sometimes with
/// SIGKILL, pulling from fewer peers) and nodes are paused (SIGSTOP, then SIGCONT: the
/// node wakes on connections its peers have long written to); after healing, every
/// archive must hold exactly the live ids a model of the same ops predicts.
///
/// The model is exact without reading any timestamp. Ops are issued one at a time from
/// this thread, each acknowledged before the next, at least 2 ms apart, and the nodes share
/// this machine's wall clock. A node's hybrid clock never runs ahead of the wall clock
/// here (far fewer than 65536 ops per millisecond), so an op issued later carries a
/// greater timestamp than every op acknowledged before it, on whatever node and whatever
/// the partition: last-writer-wins then means the last op issued. Whether an op happened
/// at all comes from its answer: ADD says `added` (a put was appended) or
/// `already_present` (nothing was), DELETE succeeds (a tombstone) or says `not_found`
/// (the node had not seen the put, or had a later delete: nothing). So conflicting ops
/// across partitions are allowed, not avoided: a delete on one side and a later re-add on
/// the other must end live everywhere.
///
/// Seeded and reproducible as far as the ops and the disturbances go (how far replication
/// gets in between depends on timing). CONVERGENCE_SEED=N replays a seed; every failure
/// prints the seed and the trace.
@Suite(.serialized) struct ConvergenceTests {
    static let nodeCount = 3
    static let rounds = 12
    static let opsPerRound = 25
    static let convergenceSeconds = 40.0

    @Test func randomWritesCutsAndPausesConvergeToTheModel() throws {
        let seed = ProcessInfo.processInfo.environment["CONVERGENCE_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        var random = SplitMix64(seed: seed)
        let cluster = try MeshCluster(nodeCount: ConvergenceTests.nodeCount)
        defer { cluster.removeAll() }
        var model = LiveSetModel()

        func context() -> Comment {
            Comment(rawValue: "seed \(seed) (replay with CONVERGENCE_SEED=\(seed))\n" + cluster.report())
        }
        do {
            for round in 0..<ConvergenceTests.rounds {
                try cluster.disturb(round: round, using: &random)
                for _ in 0..<ConvergenceTests.opsPerRound {
                    try model.issueRandomOp(on: cluster, using: &random)
                    usleep(2_000)
                }
                usleep(UInt32(random.below(250)) * 1_000)
            }
            try cluster.heal()
        } catch {
            Issue.record(error, context())
            return
        }

        let context = context()
        let converged = eventually(ConvergenceTests.convergenceSeconds) {
            Set(try cluster.servers.map { try $0.client().digest().digest }).count == 1
        }
        #expect(converged, context)
        let expected = model.liveIDs
        for (index, server) in cluster.servers.enumerated() {
            let live = Set(try server.client(timeoutSeconds: 30).search(SearchFilter(), pageSize: 1_000).map(\.id))
            let unexpected = live.subtracting(expected).map { $0.short(8) }.sorted()
            let missing = expected.subtracting(live).map { $0.short(8) }.sorted()
            #expect(unexpected.isEmpty && missing.isEmpty,
                    "node \(index): live but deleted in the model \(unexpected), missing \(missing); \(context.rawValue)")
            #expect(try server.client().digest().liveCount == UInt64(expected.count), context)
        }
        // Converged and quiet: every link follows once its backoff after a restart has run
        // out, and no op ping-pongs between the nodes.
        let following = Array(repeating: StatEntry.Value.text("following"), count: ConvergenceTests.nodeCount - 1)
        let allFollowing = eventually(15) {
            try cluster.servers.allSatisfy { try $0.client().stats().filter { $0.name.hasSuffix(".state") }.map(\.value) == following }
        }
        #expect(allFollowing, context)
        let sequences = try cluster.servers.map { try $0.client().stats().first { $0.name == "log.sequence" }?.value }
        usleep(500_000)
        #expect(try cluster.servers.map { try $0.client().stats().first { $0.name == "log.sequence" }?.value } == sequences, context)
    }

    /// Polls until `condition` holds or `seconds` pass; returns whether it held.
    func eventually(_ seconds: Double, _ condition: () throws -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            usleep(50_000)
        }
        return false
    }
}

/// What the archives must hold: for each id, whether the last op that happened on it was a
/// put. Ids come from content, so a re-add is an add of the same quote.
struct LiveSetModel {
    /// Quotes added so far, by number; `quote(number)` rebuilds any of them.
    private var added = 0
    private var live: [QuoteID: Bool] = [:]
    private var numbers: [QuoteID: Int] = [:]

    var liveIDs: Set<QuoteID> { Set(live.filter(\.value).keys) }

    static func quote(_ number: Int) -> Quote {
        Quote(text: "Convergence quote number \(number), said once and maybe taken back.", speaker: "Convergence \(number % 7)")
    }

    /// One random op on a random running node: a new quote (alone or a batch of 50), a
    /// delete of an id the model holds live, or a re-add of a known id.
    mutating func issueRandomOp(on cluster: MeshCluster, using random: inout SplitMix64) throws {
        let node = cluster.runningNodes[random.below(cluster.runningNodes.count)]
        let client = try cluster.servers[node].client()
        let known = numbers.keys.sorted { $0.description < $1.description }
        let roll = random.below(100)
        if roll < 35 || known.isEmpty {
            let count = roll < 5 ? 50 : 1
            let quotes = (added..<added + count).map(LiveSetModel.quote)
            let results = try client.add(quotes)
            for (offset, result) in results.enumerated() {
                numbers[result.id] = added + offset
                record(result, node: node, in: cluster)
            }
            added += count
        } else if roll < 70 {
            let candidates = known.filter { live[$0] == true }
            guard !candidates.isEmpty else { return }
            let id = candidates[random.below(candidates.count)]
            let deleted: Bool
            do {
                try client.delete(id.description)
                deleted = true
            } catch {
                guard error.code == .notFound else { throw error }
                deleted = false
            }
            if deleted { live[id] = false }
            cluster.note("node \(node): delete \(id.short(8)) -> \(deleted ? "deleted" : "not found")")
        } else {
            let id = known[random.below(known.count)]
            record(try client.add([LiveSetModel.quote(numbers[id]!)])[0], node: node, in: cluster)
        }
    }

    private mutating func record(_ result: AddResult, node: Int, in cluster: MeshCluster) {
        switch result.status {
        case .added:
            live[result.id] = true
            cluster.note("node \(node): add \(result.id.short(8)) -> added")
        case .alreadyPresent:
            cluster.note("node \(node): add \(result.id.short(8)) -> already present")
        default:
            Issue.record("node \(node) rejected a quote: \(result.message)")
        }
    }
}

/// Three quoted processes on fixed loopback ports, each pulling from the others unless a
/// disturbance cut some of its links or paused it.
final class MeshCluster {
    let ports: [UInt16]
    private(set) var servers: [TestServer]
    /// The peers each node pulls from now.
    private var peers: [Set<Int>]
    /// Paused nodes and the round each was paused in.
    private var paused: [Int: Int] = [:]
    /// What happened, in order: disturbances and ops with their answers.
    private var trace: [String] = []

    init(nodeCount: Int) throws {
        ports = try (0..<nodeCount).map { _ in try freePort() }
        let everyone = Set(0..<nodeCount)
        peers = (0..<nodeCount).map { everyone.subtracting([$0]) }
        servers = []
        for index in 0..<nodeCount { servers.append(try TestServer(arguments: arguments(index), port: ports[index])) }
    }

    /// Adds a line to the history failures print.
    func note(_ line: String) {
        trace.append(line)
    }

    /// The history, then the last log lines of each node.
    func report() -> String {
        var lines = trace
        for (index, server) in servers.enumerated() {
            lines.append("--- node \(index) (port \(ports[index])), last log lines:")
            lines += server.logLines.suffix(60)
        }
        return lines.joined(separator: "\n")
    }

    /// Nodes that answer requests now.
    var runningNodes: [Int] { servers.indices.filter { paused[$0] == nil } }

    private func arguments(_ index: Int) -> [String] {
        peers[index].sorted().flatMap { ["--replicate-from", "127.0.0.1:\(ports[$0])"] }
    }

    /// One random change of the links: cut some of a node's links (restarting it), restore
    /// them, pause a node, wake one, or nothing. Pauses last at most three rounds, well
    /// under the 20 s a follower waits before calling a silent peer dead.
    func disturb(round: Int, using random: inout SplitMix64) throws {
        for (node, since) in paused where round - since >= 3 { resume(node) }
        let node = random.below(servers.count)
        let roll = random.below(100)
        if roll < 35 {
            let others = Set(servers.indices).subtracting([node])
            let kept = others.filter { _ in random.below(2) == 0 }
            try restart(node, peers: kept, kill: random.below(2) == 0)
        } else if roll < 55 {
            try restart(node, peers: Set(servers.indices).subtracting([node]), kill: false)
        } else if roll < 75 {
            // One node at most, so ops always have a running node to go to.
            if paused.isEmpty {
                kill(servers[node].process!.processIdentifier, SIGSTOP)
                paused[node] = round
                note("round \(round): pause node \(node)")
            }
        } else if roll < 90 {
            if let node = paused.keys.first { resume(node) }
        } else {
            note("round \(round): links unchanged")
        }
    }

    private func resume(_ node: Int) {
        kill(servers[node].process!.processIdentifier, SIGCONT)
        paused[node] = nil
        note("resume node \(node)")
    }

    /// Stops `node` (SIGKILL, or SIGTERM) and starts it again on its port and data,
    /// pulling from `peers`.
    private func restart(_ node: Int, peers kept: Set<Int>, kill: Bool) throws {
        if paused[node] != nil { resume(node) }
        servers[node].stop(signal: kill ? SIGKILL : SIGTERM)
        peers[node] = kept
        servers[node] = try TestServer(arguments: arguments(node), dataDirectory: servers[node].dataDirectory, port: ports[node])
        note("restart node \(node) (\(kill ? "SIGKILL" : "SIGTERM")) pulling from \(kept.sorted())")
    }

    /// Wakes every paused node and restores every cut link.
    func heal() throws {
        for node in paused.keys { resume(node) }
        let everyone = Set(servers.indices)
        for node in servers.indices where peers[node] != everyone.subtracting([node]) {
            try restart(node, peers: everyone.subtracting([node]), kill: false)
        }
        note("healed")
    }

    func removeAll() {
        for node in paused.keys { kill(servers[node].process!.processIdentifier, SIGCONT) }
        for server in servers { server.removeData() }
    }
}
