import Foundation
import QuoteClient
import QuoteCore
import Testing

/// A peer whose log gets shorter under the same node id (a backup restored, a power loss
/// that cut the tail, a log emptied on purpose) reuses sequence numbers a follower has
/// checkpointed. Followers must notice, read the log again, and lose nothing, in one-way
/// and two-way pairs of real servers.
@Suite struct ReplicationHistoryTests {
    /// How the primary's log is made shorter while it is stopped.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        /// The data directory put back as it was after the first 100 quotes.
        case restoredBackup
        /// The log cut in the middle of its second hundred, as a power loss with
        /// `--fsync never` leaves it (the torn record is dropped on open).
        case cutLog
        /// The log emptied, and the index snapshot and checkpoints removed, as the refusal
        /// of an emptied log tells the operator to do to start afresh.
        case emptiedLog

        var testDescription: String { rawValue }
    }

    func eventually(_ condition: () throws -> Bool) -> Bool { waitUntil(30, condition) }

    func stat(_ server: TestServer, _ name: String) throws -> StatEntry.Value? {
        try server.client().stats().first { $0.name == name }?.value
    }

    /// The STATS value of `server`'s one replication peer whose name ends with `suffix`.
    func peerStat(_ server: TestServer, _ suffix: String) throws -> StatEntry.Value? {
        try server.client().stats().first { $0.name.hasPrefix("replication.") && $0.name.hasSuffix(suffix) }?.value
    }

    func add(_ count: Int, _ label: String, to server: TestServer) throws -> [QuoteID] {
        try server.client().add((0..<count).map { Quote(text: "\(label) \($0)", speaker: "History Test") }).map(\.id)
    }

    /// Whether `server` holds every one of `ids`.
    func holds(_ server: TestServer, _ ids: [QuoteID]) throws -> Bool {
        let client = try server.client()
        return ids.allSatisfy { (try? client.get($0.description))?.id == $0 }
    }

    func caughtUp(_ follower: TestServer) -> Bool {
        eventually { try peerStat(follower, ".state") == .text("following") && peerStat(follower, ".lag_ops") == .integer(0) }
    }

    func damage(_ primary: TestServer, _ kind: Damage, backup: String) throws {
        let files = FileManager.default
        let log = primary.dataDirectory + "/quotes.log"
        switch kind {
        case .restoredBackup:
            try files.removeItem(atPath: primary.dataDirectory)
            try files.copyItem(atPath: backup, toPath: primary.dataDirectory)
        case .cutLog:
            let size = try files.attributesOfItem(atPath: log)[.size] as! UInt64
            #expect(truncate(log, off_t(size * 3 / 4)) == 0)
        case .emptiedLog:
            #expect(truncate(log, 0) == 0)
            for leftover in ["indexes", "replication-checkpoints"] {
                try? files.removeItem(atPath: primary.dataDirectory + "/" + leftover)
            }
        }
    }

    /// The issue's recipe: 100 quotes, a backup, 100 more (the follower checkpoints 200),
    /// the primary's log made shorter, then 50 and 100 new quotes on it. Every one of them
    /// must reach the follower, which counts one resync; in a two-way pair the primary gets
    /// back from the follower what its own log lost, and the digests end equal.
    @Test(arguments: Damage.allCases, [false, true])
    func aFollowerOfAPeerWhoseLogGotShorterReadsItAgainAndLosesNothing(_ kind: Damage, twoWay: Bool) throws {
        let (primaryPort, followerPort) = (try freePort(), try freePort())
        let primary = try TestServer(arguments: twoWay ? ["--replicate-from", "127.0.0.1:\(followerPort)"] : [], port: primaryPort)
        defer { primary.removeData() }
        let follower = try TestServer(arguments: ["--replicate-from", "127.0.0.1:\(primaryPort)"] + (twoWay ? [] : ["--read-only"]),
                                      port: followerPort)
        defer { follower.removeData() }
        let backup = primary.dataDirectory + ".backup"
        defer { try? FileManager.default.removeItem(atPath: backup) }

        var everything = try add(100, "Before the backup", to: primary)
        #expect(eventually { try holds(follower, everything) })
        primary.stop()
        try FileManager.default.copyItem(atPath: primary.dataDirectory, toPath: backup)
        try primary.start()
        everything += try add(100, "After the backup", to: primary)
        if twoWay { everything += try add(20, "Written on the follower", to: follower) }
        #expect(eventually { try holds(follower, everything) })
        #expect(caughtUp(follower))
        // The primary's log holds the follower's 20 too, pulled back.
        #expect(try peerStat(follower, ".checkpoint") == .integer(twoWay ? 220 : 200))

        primary.stop()
        try damage(primary, kind, backup: backup)
        try primary.start()
        let afterDamage = try add(50, "After the log got shorter", to: primary)
        everything += afterDamage
        #expect(eventually { try holds(follower, afterDamage) }, "\(follower.log)")
        let later = try add(100, "Later still", to: primary)
        everything += later
        #expect(eventually { try holds(follower, later) })
        #expect(caughtUp(follower))
        #expect(try peerStat(follower, ".resyncs") == .integer(1))
        #expect(follower.logLines.filter { $0.contains("replication.history_changed") }.count == 1)

        if twoWay {
            // What the primary's shorter log lost comes back from the follower's. After a
            // cut its checkpoint of the follower was ahead of its own log, and is dropped.
            let dropped = primary.log.contains("replication.checkpoint_dropped")
            #expect(dropped == (kind == .cutLog), "\(primary.log)")
            #expect(try stat(primary, "replication.checkpoints_dropped") == .integer(kind == .cutLog ? 1 : 0))
            #expect(eventually { try holds(primary, everything) })
            #expect(eventually { try primary.client().digest().digest == follower.client().digest().digest })
            #expect(try primary.client().digest().liveCount == UInt64(everything.count))
        } else {
            #expect(try follower.client().digest().liveCount == UInt64(everything.count))
        }

        // The reset checkpoint was saved: a restarted follower resumes, no second resync.
        follower.stop()
        try follower.start()
        let afterRestart = try add(10, "After the follower restarted", to: primary)
        #expect(eventually { try holds(follower, afterRestart) })
        #expect(try peerStat(follower, ".resyncs") == .integer(0))
        #expect(!follower.logLines.contains { $0.contains("replication.history_changed") })
    }

    /// A peer replaced at the same address by a new node (its data directory gone) is a new
    /// log: copied from the start, and the status measures against it, not against the old
    /// node's longer log (which once left `catching_up` and a lag of 190 ops for good).
    @Test func aPeerReplacedByANewNodeIsCopiedAndTheStatusSaysCaughtUp() throws {
        let port = try freePort()
        let old = try TestServer(port: port)
        defer { old.removeData() }
        let follower = try TestServer(arguments: ["--replicate-from", "127.0.0.1:\(port)", "--read-only"])
        defer { follower.removeData() }
        let before = try add(200, "On the old node", to: old)
        #expect(eventually { try holds(follower, before) })
        #expect(caughtUp(follower))
        guard case let .text(oldNode)? = try peerStat(follower, ".node") else {
            Issue.record("no node in STATS")
            return
        }
        old.removeData()

        let new = try TestServer(port: port)
        defer { new.removeData() }
        let after = try add(10, "On the new node", to: new)
        #expect(eventually { try holds(follower, after) })
        #expect(caughtUp(follower))
        #expect(try peerStat(follower, ".node") != .text(oldNode))
        #expect(try peerStat(follower, ".checkpoint") == .integer(10))
        #expect(try peerStat(follower, ".lag_seconds") == .integer(0))
        #expect(try follower.client().digest().liveCount == 210)
        // A new node is not a changed history: nothing to resynchronise.
        #expect(try peerStat(follower, ".resyncs") == .integer(0))
    }

    /// A checkpoint file written before checkpoints named an op (two fields a line) cannot
    /// be verified: the follower reads that peer again from the start, without a warning,
    /// and saves a checkpoint with a fingerprint.
    @Test func aCheckpointWithoutAFingerprintIsReadAgainFromTheStart() throws {
        let primary = try TestServer()
        defer { primary.removeData() }
        let follower = try TestServer(arguments: ["--replicate-from", primary.address.description, "--read-only"])
        defer { follower.removeData() }
        let ids = try add(30, "Legacy checkpoint", to: primary)
        #expect(eventually { try holds(follower, ids) })
        #expect(caughtUp(follower))
        follower.stop()
        let path = follower.dataDirectory + "/replication-checkpoints"
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        let fields = saved.split(separator: "\n")[0].split(separator: " ")
        #expect(fields.count == 4 && fields[2].count == 16 && fields[3] == "30", "\(saved)")
        try "\(fields[0]) \(fields[1])\n".write(toFile: path, atomically: true, encoding: .utf8)
        try follower.start()
        #expect(caughtUp(follower))
        #expect(follower.log.contains("replication.checkpoint_unverifiable"))
        #expect(!follower.log.contains("replication.history_changed"))
        #expect(try peerStat(follower, ".checkpoint") == .integer(30))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == saved)
    }
}
