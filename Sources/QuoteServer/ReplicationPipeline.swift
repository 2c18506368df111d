import Dispatch
import QuoteClient
import QuoteCore
import QuoteStore
import Synchronization

/// Applies a peer's pages of ops without waiting for each to be durable before reading the
/// next, and saves the checkpoint behind them.
///
/// Waiting page by page left the connection idle during every apply and paid a log sync
/// and a checkpoint rewrite (two more syncs) per page. Here up to `ChangeFeed.pagesInFlight` pages
/// wait on the archive's writer at once, so its group commit covers several with one sync,
/// and the checkpoint is rewritten on its own queue as often as that takes, covering every
/// page durable by then. The checkpoint still never passes an op that is not durable here,
/// nor the first op of a page that failed.
final class ReplicationPipeline: Sendable {
    private let archive: Archive
    private let checkpoints: ReplicationCheckpoints
    private let node: UInt64
    private let onCheckpoint: @Sendable (ReplicationCheckpoint) -> Void
    private let slots = DispatchSemaphore(value: ChangeFeed.pagesInFlight)
    private let saving = DispatchQueue(label: "quote-archive.replication-checkpoint")
    private let progress = Mutex(Progress())
    /// Time `submit` spent waiting for a free slot (the writer behind), and handing pages
    /// to the archive (which checks every put hashes to its id before queueing it).
    private let spent = Mutex((waitingNanoseconds: UInt64(0), verifyingNanoseconds: UInt64(0)))

    /// What `spent` holds now.
    var timings: (waitingNanoseconds: UInt64, verifyingNanoseconds: UInt64) { spent.withLock { $0 } }

    private struct Progress {
        /// The last sequence number of the latest page applied (durable with `.always`).
        var appliedThrough: UInt64 = 0
        /// The checkpoint after the last op of each page applied and not yet saved, by
        /// sequence number: a checkpoint names the op it ends at, and the one saved is
        /// always a page's end (pages complete in the order they were submitted).
        var pageEnds: [UInt64: ReplicationCheckpoint] = [:]
        /// The first sequence number of the earliest page that failed: nothing at or past it
        /// may be checkpointed.
        var failedFrom: UInt64?
        var failure: ArchiveError?
        var saveScheduled = false
        var saveError: (any Error)?
    }

    /// `onCheckpoint` hears each checkpoint once it is saved.
    init(archive: Archive, checkpoints: ReplicationCheckpoints, node: UInt64,
         onCheckpoint: @escaping @Sendable (ReplicationCheckpoint) -> Void) {
        self.archive = archive
        self.checkpoints = checkpoints
        self.node = node
        self.onCheckpoint = onCheckpoint
    }

    /// Hands a page to the archive, first waiting while `ChangeFeed.pagesInFlight` pages are
    /// pending; throws the failure of an earlier page, if any, instead.
    func submit(_ ops: [SequencedOp]) throws {
        guard let first = ops.first?.sequence, let lastOp = ops.last else { return }
        let last = lastOp.sequence
        let started = WriterClock.now()
        slots.wait()
        let waited = WriterClock.now()
        defer {
            let handed = WriterClock.now()
            spent.withLock {
                $0.waitingNanoseconds += waited - started
                $0.verifyingNanoseconds += handed - waited
            }
        }
        let earlier: (any Error)? = progress.withLock { $0.failure ?? $0.saveError }
        if let earlier {
            slots.signal()
            throw earlier
        }
        archive.apply(ops.map(\.op)) { [self] result in
            switch result {
            case .success:
                let schedule = progress.withLock { progress -> Bool in
                    progress.appliedThrough = max(progress.appliedThrough, last)
                    progress.pageEnds[last] = ReplicationCheckpoint(after: lastOp)
                    if progress.saveScheduled { return false }
                    progress.saveScheduled = true
                    return true
                }
                if schedule { saving.async { self.saveCheckpoint() } }
            case let .failure(error):
                progress.withLock { progress in
                    if progress.failure == nil { progress.failure = error }
                    progress.failedFrom = min(progress.failedFrom ?? .max, first)
                }
            }
            slots.signal()
        }
    }

    /// Waits until every submitted page is applied and its checkpoint saved; throws the
    /// first failure of a page or of a checkpoint save.
    func finish() throws {
        for _ in 0..<ChangeFeed.pagesInFlight { slots.wait() }
        for _ in 0..<ChangeFeed.pagesInFlight { slots.signal() }
        saving.sync {}
        let (failure, saveError) = progress.withLock { ($0.failure, $0.saveError) }
        if let failure { throw failure }
        if let saveError { throw saveError }
    }

    private func saveCheckpoint() {
        let target = progress.withLock { progress -> ReplicationCheckpoint? in
            progress.saveScheduled = false
            var through = progress.appliedThrough
            if let failedFrom = progress.failedFrom { through = min(through, failedFrom - 1) }
            let target = progress.pageEnds[through]
            progress.pageEnds = progress.pageEnds.filter { $0.key > through }
            return target
        }
        guard let target, target.sequence > checkpoints.checkpoint(for: node).sequence else { return }
        do {
            // With --fsync interval or never the ops may not be on disk yet; a checkpoint
            // past them would skip them for good after a power loss.
            if archive.durability != .always { try archive.syncNow() }
            // Read after the ops are durable: the log's last sequence number is then at or
            // past every op the checkpoint covers.
            try checkpoints.advance(node, to: target, localSequence: archive.statistics.lastSequence)
            onCheckpoint(target)
        } catch {
            progress.withLock { $0.saveError = error }
        }
    }
}
