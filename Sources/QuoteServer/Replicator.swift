import Foundation
import QuoteClient
import QuoteCore
import QuotePOSIX
import QuoteStore
import Synchronization

/// Pulls ops continuously from one peer: CHANGES with follow from the checkpoint, apply,
/// advance the checkpoint once applied (and so durable here), and on any failure but a
/// bad op retry with capped exponential backoff.
///
/// Runs on its own thread with a blocking client; its status is behind a mutex for STATS.
final class Replicator: Sendable {
    let peer: SocketAddress
    private let archive: Archive
    private let checkpoints: ReplicationCheckpoints
    private let logger: Logger
    private let token: AccessToken?
    private let status = Mutex(PeerStatus())
    private let stopping = Atomic<Bool>(false)
    /// This peer's catch-up's pause of indexing, while it holds one.
    private let deferral = Mutex<IndexingDeferral?>(nil)
    /// The current round's clock, for the phase breakdown logged once it has caught up.
    private let round = Mutex<CatchUpRound?>(nil)
    static let maxBackoffSeconds = 5.0
    /// A backlog at least this long, and at least a quarter of the archive, is applied with
    /// indexing deferred and the indexes rebuilt once caught up: keeping every index sorted
    /// op by op was most of a catch-up's time, and a rebuild costs about a second per
    /// million quotes (what opening a log costs).
    static let deferIndexingBacklog: UInt64 = 50_000

    init(peer: SocketAddress, token: AccessToken?, archive: Archive, checkpoints: ReplicationCheckpoints, logger: Logger) {
        self.peer = peer
        self.token = token
        self.archive = archive
        self.checkpoints = checkpoints
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "quoted-replicate-\(peer)"
        thread.start()
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    var snapshot: PeerStatus { status.withLock { $0 } }

    private func setState(_ state: PeerStatus.State) {
        let changed = status.withLock { status -> Bool in
            let changed = status.state.description != state.description
            status.state = state
            if case let .failing(error) = state { status.lastError = error }
            if case let .stopped(error) = state { status.lastError = error }
            return changed
        }
        // Logged once per change of state, not once per retry.
        if changed {
            let level: Logger.Level = { if case .failing = state { return .warning }; if case .stopped = state { return .error }; return .info }()
            logger.log(level, "replication.state", ["peer": peer.description, "state": state.description])
        }
    }

    private func run() {
        var backoff = 0.1
        while !stopping.load(ordering: .relaxed) {
            do {
                try follow()
                backoff = 0.1
            } catch let changed as ChangeFeed.HistoryChanged {
                do {
                    try resynchronize(changed)
                    backoff = 0.1
                } catch {
                    setState(.failing(String(describing: error)))
                    Thread.sleep(forTimeInterval: backoff)
                    backoff = min(Replicator.maxBackoffSeconds, backoff * 2)
                }
            } catch let error as ArchiveError where error.isRejectedOp {
                // A bad op is not retried: applying it again would fail again. Anything
                // else the archive refuses (a full disk, a failing sync) may pass, so it
                // is retried like a dropped connection, and clears when the disk does.
                setState(.stopped(error.description))
                return
            } catch {
                setState(.failing(String(describing: error)))
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(Replicator.maxBackoffSeconds, backoff * 2)
            }
        }
    }

    private func follow() throws {
        setState(.connecting)
        let client = try ArchiveClient(address: peer, timeoutSeconds: 10, clientName: "quoted-replica/\(Hello.currentVersion)",
                                       token: token)
        let node = client.server.nodeID
        guard node != archive.nodeID else { throw ReplicationError(description: "the peer is this archive itself") }
        // Keyed by node id: a peer replaced at the same address starts from zero.
        var since = checkpoints.checkpoint(for: node)
        if !since.isVerifiable {
            // Saved by a version that kept no fingerprint: whether the peer's log still
            // holds that op cannot be told, and reading it all again is always safe.
            logger.log(.info, "replication.checkpoint_unverifiable", ["peer": peer.description, "checkpoint": String(since.sequence)])
            try checkpoints.reset(node)
            since = .start
        }
        // Each round measures from its own start: the peer may be a new node, or one whose
        // log got shorter, and what an earlier round heard would keep a lag that is not.
        status.withLock {
            $0.nodeID = node
            $0.checkpoint = since.sequence
            $0.peerLastSequence = since.sequence
        }
        setState(.catchingUp)
        let pipeline = ReplicationPipeline(archive: archive, checkpoints: checkpoints, node: node) { [self] checkpoint in
            noteProgress(checkpoint: checkpoint.sequence, peerLastSequence: nil)
        }
        round.withLock { $0 = CatchUpRound(pipeline: pipeline, writerAtStart: archive.writerTimings) }
        var lastHandled = WriterClock.now()
        var streamError: (any Error)?
        // However this round ends, deferred indexing is resumed (and rebuilt) before the next.
        defer { resumeIndexing() }
        do {
            try ChangeFeed(client, resumingAfter: since).read { page in
                let arrived = WriterClock.now()
                round.withLock { $0?.receivingNanoseconds += arrived - lastHandled }
                defer { lastHandled = WriterClock.now() }
                if stopping.load(ordering: .relaxed) { return false }
                deferIndexingIfWorthIt(backlog: page.backlog)
                noteProgress(checkpoint: nil, peerLastSequence: page.lastSequence)
                try pipeline.submit(page.ops)
                return true
            }
        } catch let error as DecodeError {
            // Asking again would bring the same bytes: like a refused op, this stops the peer.
            streamError = ArchiveError.rejectedOp("an undecodable page of ops from the peer: \(error)")
        } catch {
            streamError = error
        }
        // A page the archive refused outranks the connection error it may have caused.
        try pipeline.finish()
        if let streamError { throw streamError }
    }

    /// Forgets the checkpoint of a peer whose log no longer holds the op it names, so the
    /// next round reads that log from the start: whatever the peer wrote after its log got
    /// shorter has sequence numbers this archive would otherwise skip for good. Logged as a
    /// warning once per discovery and counted in STATS (`resyncs`).
    private func resynchronize(_ changed: ChangeFeed.HistoryChanged) throws {
        let node = snapshot.nodeID
        try checkpoints.reset(node)
        let count = status.withLock { status -> UInt64 in
            status.resyncs += 1
            return status.resyncs
        }
        logger.log(.warning, "replication.history_changed", [
            "peer": peer.description, "node": HexText.sixteenDigits(node), "reason": changed.description,
            "resyncs": String(count),
        ])
    }

    /// Records a saved checkpoint or the peer's last sequence number, and whether this
    /// archive has now caught up with the peer.
    private func noteProgress(checkpoint saved: UInt64?, peerLastSequence: UInt64?) {
        let caughtUp = status.withLock { status -> Bool in
            if let saved { status.checkpoint = max(status.checkpoint, saved) }
            if let peerLastSequence { status.peerLastSequence = max(status.peerLastSequence, peerLastSequence) }
            let caughtUp = status.checkpoint >= status.peerLastSequence
            if caughtUp { status.caughtUpAt = EventLoop.now() }
            return caughtUp
        }
        guard caughtUp else {
            setState(.catchingUp)
            return
        }
        // Caught up with indexing deferred: still catching up until the indexes are rebuilt.
        if !resumeIndexing(then: { [self] in becameCurrent() }) {
            becameCurrent()
        }
    }

    /// Says `following`, and the first time in a round that brought ops, logs where the
    /// catch-up's time went (`replication.caught_up`): the breakdown scripts/bench-replication
    /// prints.
    private func becameCurrent() {
        setState(.following)
        let report = round.withLock { round -> [(key: String, value: String)]? in
            guard var current = round, !current.reported else { return nil }
            current.reported = true
            round = current
            return current.report(writerNow: archive.writerTimings)
        }
        guard let report else { return }
        logger.log(.info, "replication.caught_up", fields: [("peer", peer.description)] + report)
    }

    /// Defers the archive's indexing for a backlog long enough to pay for a rebuild.
    private func deferIndexingIfWorthIt(backlog: UInt64) {
        guard backlog >= Replicator.deferIndexingBacklog,
              backlog >= UInt64(archive.statistics.liveQuotes / 4) else { return }
        let started = deferral.withLock { held -> Bool in
            guard held == nil else { return false }
            held = archive.deferIndexing()
            return true
        }
        guard started else { return }
        logger.log(.info, "replication.deferred_indexing", ["peer": peer.description, "backlog_ops": String(backlog)])
    }

    /// Resumes indexing if this peer deferred it; `then` runs once the indexes are rebuilt.
    /// Returns false, and never runs `then`, when this peer holds no deferral.
    @discardableResult
    private func resumeIndexing(then: @escaping @Sendable () -> Void = {}) -> Bool {
        guard let held = deferral.withLock({ $0 }) else { return false }
        held.resume { [self] in
            let first = deferral.withLock { current -> Bool in
                guard current === held else { return false }
                current = nil
                return true
            }
            if first { logger.log(.info, "replication.indexes_rebuilt", ["peer": peer.description]) }
            then()
        }
        return true
    }

    /// STATS entries for this peer, under `replication.<address>.`.
    func statistics() -> [StatEntry] {
        let snapshot = self.snapshot
        let prefix = "replication.\(peer)."
        let lagOps = snapshot.peerLastSequence > snapshot.checkpoint ? snapshot.peerLastSequence - snapshot.checkpoint : 0
        let lagSeconds: UInt64
        if lagOps == 0 {
            lagSeconds = 0
        } else {
            lagSeconds = UInt64(max(0, EventLoop.now() - (snapshot.caughtUpAt ?? EventLoop.now())))
        }
        return [
            StatEntry(prefix + "state", .text(snapshot.state.name)),
            StatEntry(prefix + "node", .text(HexText.sixteenDigits(snapshot.nodeID))),
            StatEntry(prefix + "checkpoint", .integer(snapshot.checkpoint)),
            StatEntry(prefix + "lag_ops", .integer(lagOps)),
            StatEntry(prefix + "lag_seconds", .integer(lagSeconds)),
            StatEntry(prefix + "last_error", .text(snapshot.lastError)),
            StatEntry(prefix + "resyncs", .integer(snapshot.resyncs)),
        ]
    }
}

struct ReplicationError: Error, CustomStringConvertible {
    let description: String
}

/// One round of pulling from a peer, timed: what `replication.caught_up` reports.
struct CatchUpRound {
    let pipeline: ReplicationPipeline
    let writerAtStart: WriterTimings
    let started = WriterClock.now()
    /// Time the reader waited for the next page off the socket (and decoded it).
    var receivingNanoseconds: UInt64 = 0
    var reported = false

    /// The log fields: ops applied, elapsed seconds and each phase's milliseconds. The
    /// phases overlap (pages are read while earlier ones are written), so they need not
    /// add up to the elapsed time; the largest is the one to shorten.
    func report(writerNow: WriterTimings) -> [(key: String, value: String)]? {
        let writer = writerNow.since(writerAtStart)
        guard writer.ops > 0 else { return nil }
        let (waiting, verifying) = pipeline.timings
        func milliseconds(_ nanoseconds: UInt64) -> String { String(nanoseconds / 1_000_000) }
        let elapsed = WriterClock.now() - started
        return [
            ("ops", String(writer.ops)), ("batches", String(writer.batches)),
            ("seconds", String(format: "%.2f", Double(elapsed) / 1e9)),
            ("receive_ms", milliseconds(receivingNanoseconds)), ("verify_ms", milliseconds(verifying)),
            ("wait_ms", milliseconds(waiting)), ("plan_ms", milliseconds(writer.planNanoseconds)),
            ("append_ms", milliseconds(writer.appendNanoseconds)), ("sync_ms", milliseconds(writer.syncNanoseconds)),
            ("index_ms", milliseconds(writer.commitNanoseconds)), ("rebuild_ms", milliseconds(writer.rebuildNanoseconds)),
        ]
    }
}
