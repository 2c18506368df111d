import Foundation
import QuoteClient
import QuoteCore
import Testing

/// Three real quoted processes in a full mesh, taking random adds, deletes and re-adds on
/// random nodes while random replication links are cut (a node restarted, sometimes with
/// SIGKILL, pulling from fewer peers) and nodes are paused (SIGSTOP, then SIGCONT: the
/// node wakes on connections its peers have long written to); after healing, every
/// archive must hold exactly the live ids, with the metadata, that a model of the same ops
/// predicts, and the content digest computed from that model.
///
/// The model is exact without reading any timestamp. Ops are issued one at a time from
/// this thread, each acknowledged before the next, at least 2 ms apart, and the nodes share
/// this machine's wall clock. A node's hybrid clock never runs ahead of the wall clock
/// here (far fewer than 65536 ops per millisecond), so an op issued later carries a
/// greater timestamp than every op acknowledged before it, on whatever node and whatever
/// the partition: last-writer-wins then means the last op issued. Whether an op happened
/// at all comes from its answer: ADD and EDIT say `added` or `updated` (a put was
/// appended) or `already_present` or `differs` (nothing was), DELETE succeeds (a tombstone)
/// or says `not_found`
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
            let quotes = try server.client(timeoutSeconds: 30).search(SearchFilter(), pageSize: 1_000)
            let live = Set(quotes.map(\.id))
            let unexpected = live.subtracting(expected).map { $0.short(8) }.sorted()
            let missing = expected.subtracting(live).map { $0.short(8) }.sorted()
            #expect(unexpected.isEmpty && missing.isEmpty,
                    "node \(index): live but deleted in the model \(unexpected), missing \(missing); \(context.rawValue)")
            let wrongTags = quotes.filter { archived in model.live[archived.id].map { $0 != archived.quote.tags } ?? false }
            #expect(wrongTags.isEmpty, "node \(index): other tags than the last put's on \(wrongTags.map { $0.id.short(8) })")
            let digest = try server.client().digest()
            #expect(digest.liveCount == UInt64(expected.count), context)
            #expect(digest.digest == model.contentDigest, "node \(index): the content digest is not the model's")
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
/// put, and that put's metadata (its tags). An id is a quote's words and speaker, so a
/// re-add, a replace and a metadata edit are puts of the same id; an edit of the words is a
/// put of a new id and a delete of the old one.
struct LiveSetModel {
    /// Quotes added so far, by number; `quote(number)` rebuilds any of them.
    private var added = 0
    /// The tags of every live quote, canonical (lowercase, sorted).
    private(set) var live: [QuoteID: [String]] = [:]
    /// The words and speaker of every id ever stored.
    private var words: [QuoteID: Quote] = [:]

    var liveIDs: Set<QuoteID> { Set(live.keys) }

    /// In canonical (byte) order, so any subset taken in order is canonical too.
    static let tagPool = ["alpha", "beta", "delta", "gamma"]

    static func quote(_ number: Int) -> Quote {
        Quote(text: "Convergence quote number \(number), said once and maybe taken back.", speaker: "Convergence \(number % 7)")
    }

    static func randomTags(using random: inout SplitMix64) -> [String] {
        tagPool.filter { _ in random.below(2) == 0 }
    }

    /// The content digest the archives must report: the sum modulo 2^256 of
    /// SHA-256(id ‖ date ‖ source ‖ lang ‖ tags) over the live quotes (PROTOCOL.md, DIGEST).
    var contentDigest: [UInt8] {
        var sum = [UInt8](repeating: 0, count: 32)
        for (id, tags) in live {
            var writer = ByteWriter()
            id.encode(into: &writer)
            QuoteDate.encode(nil, into: &writer)
            writer.writeString("")
            writer.writeString("")
            writer.writeInteger(UInt32(tags.count))
            for tag in tags { writer.writeString(tag) }
            let term = SHA256.hash(writer.bytes)
            var carry = 0
            for index in (0..<32).reversed() {
                let total = Int(sum[index]) + Int(term[index]) + carry
                sum[index] = UInt8(total & 0xFF)
                carry = total >> 8
            }
        }
        return sum
    }

    /// One random op on a random running node: a new quote (alone or a batch of 50), a
    /// delete of an id the model holds live, a re-add of a known quote with random tags
    /// (sometimes replacing), or an edit of its tags or of its words.
    mutating func issueRandomOp(on cluster: MeshCluster, using random: inout SplitMix64) throws {
        let node = cluster.runningNodes[random.below(cluster.runningNodes.count)]
        let client = try cluster.servers[node].client()
        let known = words.keys.sorted { $0.description < $1.description }
        let roll = random.below(100)
        if roll < 30 || known.isEmpty {
            let count = roll < 5 ? 50 : 1
            var quotes = (added..<added + count).map(LiveSetModel.quote)
            for index in quotes.indices { quotes[index].tags = LiveSetModel.randomTags(using: &random) }
            let results = try client.add(quotes)
            for (quote, result) in zip(quotes, results) {
                words[result.id] = quote
                record(result, tags: quote.tags, node: node, in: cluster)
            }
            added += count
        } else if roll < 55 {
            let candidates = known.filter { live[$0] != nil }
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
            if deleted { live[id] = nil }
            cluster.note("node \(node): delete \(id.short(8)) -> \(deleted ? "deleted" : "not found")")
        } else if roll < 78 {
            let id = known[random.below(known.count)]
            var quote = words[id]!
            quote.tags = LiveSetModel.randomTags(using: &random)
            let replace = random.below(2) == 0
            record(try client.add([quote], replace: replace)[0], tags: quote.tags, node: node, in: cluster)
        } else {
            let id = known[random.below(known.count)]
            var quote = words[id]!
            quote.tags = LiveSetModel.randomTags(using: &random)
            if roll >= 90 { quote.text += " Revised \(random.below(1_000))." }
            do {
                let (result, previous) = try client.edit(id.description, to: quote)
                words[result.id] = quote
                record(result, tags: quote.tags, node: node, in: cluster)
                if previous != result.id { live[previous] = nil }
                cluster.note("node \(node): edit \(previous.short(8)) -> \(result.id.short(8)) \(result.status.name)")
            } catch {
                guard error.code == .notFound else { throw error }
                cluster.note("node \(node): edit \(id.short(8)) -> not found")
            }
        }
    }

    private mutating func record(_ result: AddResult, tags: [String], node: Int, in cluster: MeshCluster) {
        switch result.status {
        case .added, .updated:
            live[result.id] = tags
        case .alreadyPresent, .differs:
            break
        case .rejected:
            Issue.record("node \(node) rejected a quote: \(result.message)")
        }
        cluster.note("node \(node): put \(result.id.short(8)) \(tags) -> \(result.status.name)")
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
