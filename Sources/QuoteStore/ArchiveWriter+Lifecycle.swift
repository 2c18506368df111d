import CQuoteSupport
import Dispatch
import QuoteCore

// What the writer does besides writing: barriers and syncs, deferring and rebuilding the
// indexes, observers, and closing. All of it runs on (or waits for) the writer's queue,
// so it is ordered with the writes around it.
extension ArchiveWriter {
    /// Calls `completion` once every write submitted before it is done.
    func barrier(_ completion: @escaping @Sendable () -> Void) {
        submit(.barrier(completion))
    }

    /// Makes every op applied so far durable, whatever the durability mode.
    func syncNow() throws {
        try queue.sync {
            let started = WriterClock.now()
            defer { timings.record { $0.syncNanoseconds += WriterClock.now() - started } }
            try log.sync()
        }
    }

    /// Counts one more deferral (see `Archive.deferIndexing()`).
    func deferIndexing() {
        queue.async { [self] in
            let first = indexingDeferrals.withLock { deferrals -> Bool in
                deferrals.count += 1
                return deferrals.count == 1
            }
            if first { shared.lock.withWriteLock { shared.state.bulkLoading = true } }
        }
    }

    /// Ends one deferral; after the last, rebuilds the indexes and then runs every
    /// completion handed in since the first (see `IndexingDeferral.resume`).
    func resumeIndexing(completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            let waiting = indexingDeferrals.withLock { deferrals -> [@Sendable () -> Void]? in
                deferrals.count -= 1
                deferrals.waiting.append(completion)
                guard deferrals.count == 0 else { return nil }
                defer { deferrals.waiting = [] }
                return deferrals.waiting
            }
            guard let waiting else { return }
            // A closed archive answers no searches: building indexes for it would be waste.
            guard !isClosed else {
                for completion in waiting { completion() }
                return
            }
            // Only this queue changes the entries and indexes, so a copy taken now stays
            // current while it is rebuilt; readers keep the old one until the swap.
            let started = WriterClock.now()
            var rebuilt = shared.lock.withReadLock { writerView }
            rebuilt.rebuildIndexes()
            shared.lock.withWriteLock {
                // The digest is the one thing a reader may have filled in meanwhile.
                rebuilt.digest = shared.state.digest
                shared.state = rebuilt
            }
            timings.record { $0.rebuildNanoseconds += WriterClock.now() - started }
            #if os(Linux)
            malloc_trim(0)
            #endif
            for completion in waiting { completion() }
            rankIfDue()
        }
    }

    /// Registers `handler` to hear the last sequence number after each durable append;
    /// returns a token for `removeObserver`.
    func addObserver(_ handler: @escaping @Sendable (UInt64) -> Void) -> UInt64 {
        let id = nextObserverID.wrappingAdd(1, ordering: .relaxed).oldValue
        observers.withLock { $0[id] = handler }
        return id
    }

    /// Stops calling an observer.
    func removeObserver(_ token: UInt64) {
        _ = observers.withLock { $0.removeValue(forKey: token) }
    }

    /// Finishes queued writes, syncs the log and saves the index snapshot; later writes
    /// fail with `.closed`.
    func close() -> IndexSnapshotWrite {
        let done = DispatchSemaphore(value: 0)
        barrier { done.signal() }
        done.wait()
        closed.store(true, ordering: .sequentiallyConsistent)
        return queue.sync { () -> IndexSnapshotWrite in
            // The snapshot must never cover ops the log might lose.
            do { try log.sync() } catch { return .failed("the log could not be synced: \(error)") }
            return writeIndexSnapshot()
        }
    }

    /// Saves the indexes for the next open (unless the one on disk is current); on the
    /// queue, after the log is synced.
    private func writeIndexSnapshot() -> IndexSnapshotWrite {
        let state = writerView
        if state.bulkLoading { return .skipped(reason: "indexing is deferred") }
        if state.snapshotIsCurrent { return .skipped(reason: "the snapshot on disk is current") }
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let bytes = try IndexSnapshot.write(state, to: path)
            shared.lock.withWriteLock { shared.state.snapshotIsCurrent = true }
            return .written(bytes: bytes, milliseconds: Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000))
        } catch {
            return .failed(error.description)
        }
    }
}
