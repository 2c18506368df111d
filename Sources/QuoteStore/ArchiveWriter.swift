import Dispatch
import QuoteCore
import Synchronization

/// The archive's one writer: it owns the log file and the serial queue every write runs
/// on, and it is the only code that changes the archive's state.
///
/// Writes queued while the queue is busy are drained as one batch: one append to the log
/// and, with `.always`, one `fdatasync` (group commit), then one write-locked update of
/// the state, then every caller's completion. The walk of an ADD reads top-down here:
/// `submit`, `drain` (plan each request against the state and the batch so far),
/// `persist`, `commit`, `complete`.
final class ArchiveWriter: Sendable {
    enum WriteRequest {
        case add([Result<PreparedPut, ValidationError>], replace: Bool, @Sendable ([AddResult]) -> Void)
        /// The id (or prefix) of the quote to replace, and its replacement.
        case edit(String, Result<PreparedPut, ValidationError>, @Sendable (Result<EditResult, ArchiveError>) -> Void)
        case delete(String, @Sendable (Result<QuoteID, ArchiveError>) -> Void)
        /// Ops and, for each put, its prepared quote.
        case apply([Op], [PreparedPut?], @Sendable (Result<Int, ArchiveError>) -> Void)
        case barrier(@Sendable () -> Void)
    }

    typealias EditResult = (AddResult, previous: QuoteID)

    struct PendingWrites {
        var requests: [WriteRequest] = []
        var drainScheduled = false
    }

    let log: LogFile
    let shared: GuardedArchiveState
    let durability: Archive.Durability
    let clock: HybridLogicalClock
    let nodeID: UInt64
    /// The data directory, where the index snapshot is saved.
    let path: String
    let queue = DispatchQueue(label: "quote-archive.writer", qos: .userInitiated)
    private let pending = Mutex(PendingWrites())
    // Set once in init, then only cancelled in deinit.
    private nonisolated(unsafe) let syncTimer: (any DispatchSourceTimer)?
    let observers = Mutex<[UInt64: @Sendable (UInt64) -> Void]>([:])
    let nextObserverID = Atomic<UInt64>(1)
    let closed = Atomic<Bool>(false)
    /// Where the writer's time goes (`Archive.writerTimings`).
    let timings = WriterClock()
    /// How many callers have deferred indexing (`deferIndexing()`), and the completions of
    /// `resumeIndexing` calls waiting for the rebuild; changed only on `queue`.
    let indexingDeferrals = Mutex<(count: Int, waiting: [@Sendable () -> Void])>((0, []))
    /// Rankings of the word and tag lists (see `ArchiveWriter+Ranking`).
    let ranking = Mutex(RankingRecord())

    init(log: LogFile, shared: GuardedArchiveState, durability: Archive.Durability, clock: HybridLogicalClock,
         nodeID: UInt64, path: String) {
        self.log = log
        self.shared = shared
        self.durability = durability
        self.clock = clock
        self.nodeID = nodeID
        self.path = path
        if case let .interval(milliseconds) = durability {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds))
            timer.setEventHandler { try? log.sync() }
            timer.resume()
            syncTimer = timer
        } else {
            syncTimer = nil
        }
    }

    deinit {
        syncTimer?.cancel()
    }

    /// The state as this writer sees it; safe unlocked on `queue`, see `GuardedArchiveState`.
    var writerView: ArchiveState {
        unsafeAddress { UnsafePointer(shared.pointer) }
    }

    var isClosed: Bool { closed.load(ordering: .sequentiallyConsistent) }

    /// Queues a write; the first request of a batch schedules the drain.
    func submit(_ request: WriteRequest) {
        let schedule = pending.withLock { pending -> Bool in
            pending.requests.append(request)
            if pending.drainScheduled { return false }
            pending.drainScheduled = true
            return true
        }
        if schedule { queue.async { self.drain() } }
    }

    private func takePendingRequests() -> [WriteRequest] {
        pending.withLock { pending in
            let requests = pending.requests
            pending.requests = []
            pending.drainScheduled = false
            return requests
        }
    }

    /// What one queued request will answer once the batch is durable.
    private enum Planned {
        case add([AddResult], @Sendable ([AddResult]) -> Void)
        case edit(Result<EditResult, ArchiveError>, @Sendable (Result<EditResult, ArchiveError>) -> Void)
        case delete(Result<QuoteID, ArchiveError>, @Sendable (Result<QuoteID, ArchiveError>) -> Void)
        case apply(Result<Int, ArchiveError>, @Sendable (Result<Int, ArchiveError>) -> Void)
        case barrier(@Sendable () -> Void)
    }

    private func drain() {
        let requests = takePendingRequests()
        guard !requests.isEmpty else { return }
        if isClosed {
            for request in requests { fail(request, .closed) }
            return
        }

        let planStarted = WriterClock.now()
        var writer = ByteWriter(capacity: 4096)
        var ops: [(op: SequencedOp, offset: Int, prepared: PreparedPut?)] = []
        // What this batch made each id's winner, before the state holds it: the verdict's
        // fields and a put's encoded quote (shared with its PreparedPut, not copied).
        var overlay: [QuoteID: (version: OpVersion, encoded: [UInt8]?)] = [:]
        var sequence = writerView.lastSequence
        let baseOffset = log.size

        func winner(_ id: QuoteID) -> OpVersion? {
            overlay[id]?.version ?? writerView.winningVersion(of: id)
        }
        /// How the live quote with `put`'s id compares with it, the batch so far included.
        func stored(like put: PreparedPut) -> StoredMatch {
            if let pending = overlay[put.id] {
                guard let encoded = pending.encoded else { return .absent }
                return encoded == put.encoded ? .same : .different
            }
            guard let same = writerView.liveQuote(of: put.id, equals: put.encoded) else { return .absent }
            return same ? .same : .different
        }
        /// Plans one put the way ADD does; `replace` lets other metadata be replaced.
        func put(_ put: PreparedPut, replace: Bool) -> AddResult {
            switch stored(like: put) {
            case .same:
                return .stored(put.id, new: false)
            case .different where !replace:
                return .differs(put.id)
            case .different:
                append(.put(put.quote, id: put.id, timestamp: clock.now(), origin: nodeID), put)
                return .updated(put.id)
            case .absent:
                append(.put(put.quote, id: put.id, timestamp: clock.now(), origin: nodeID), put)
                return .stored(put.id, new: true)
            }
        }
        func append(_ op: Op, _ prepared: PreparedPut?) {
            sequence += 1
            let sequenced = SequencedOp(sequence: sequence, op: op)
            ops.append((sequenced, baseOffset + writer.count, prepared))
            LogFormat.appendRecord(sequenced, encodedQuote: prepared?.encoded, to: &writer)
            overlay[op.id] = (op.version, op.kind == .put ? prepared?.encoded : nil)
        }

        var planned: [Planned] = []
        for request in requests {
            switch request {
            case let .add(prepared, replace, completion):
                let results = prepared.map { item -> AddResult in
                    switch item {
                    case let .failure(error): return .rejected(error.code, error.description)
                    case let .success(prepared): return put(prepared, replace: replace)
                    }
                }
                planned.append(.add(results, completion))
            case let .edit(idOrPrefix, replacement, completion):
                let result: Result<EditResult, ArchiveError>
                do throws(ArchiveError) {
                    let previous = try resolveLive(idOrPrefix, overlay: overlay)
                    switch replacement {
                    case let .failure(error):
                        result = .success((.rejected(error.code, error.description), previous))
                    case let .success(prepared):
                        // The new words' put first: a crash between the two records keeps
                        // both quotes, never neither.
                        let answer = put(prepared, replace: true)
                        if prepared.id != previous { append(.delete(previous, timestamp: clock.now(), origin: nodeID), nil) }
                        result = .success((answer, previous))
                    }
                } catch {
                    result = .failure(error)
                }
                planned.append(.edit(result, completion))
            case let .delete(idOrPrefix, completion):
                let result: Result<QuoteID, ArchiveError>
                do throws(ArchiveError) {
                    let id = try resolveLive(idOrPrefix, overlay: overlay)
                    append(.delete(id, timestamp: clock.now(), origin: nodeID), nil)
                    result = .success(id)
                } catch {
                    result = .failure(error)
                }
                planned.append(.delete(result, completion))
            case let .apply(incoming, prepared, completion):
                var appended = 0
                // A page of a peer's ops looks up ids all over the table: start loading the
                // slots a few ops ahead.
                for op in incoming.prefix(ArchiveWriter.slotLookahead) { writerView.ordinals.prefetch(op.id) }
                for (index, (op, put)) in zip(incoming, prepared).enumerated() {
                    if index + ArchiveWriter.slotLookahead < incoming.count {
                        writerView.ordinals.prefetch(incoming[index + ArchiveWriter.slotLookahead].id)
                    }
                    clock.observe(op.timestamp)
                    if let current = winner(op.id), op.version <= current { continue }
                    append(op, put)
                    appended += 1
                }
                planned.append(.apply(.success(appended), completion))
            case let .barrier(completion):
                planned.append(.barrier(completion))
            }
        }

        if !ops.isEmpty {
            let plannedAt = WriterClock.now()
            let appended: UInt64
            do {
                appended = try persist(writer.bytes, baseOffset: baseOffset)
            } catch {
                let failure = ArchiveError.storage(String(describing: error))
                let unstored = Set(ops.map(\.op.op.id))
                for item in planned { failPlanned(item, failure, unstored: unstored) }
                return
            }
            let synced = WriterClock.now()
            commit(ops)
            let committed = WriterClock.now()
            timings.record { totals in
                totals.batches += 1
                totals.ops += UInt64(ops.count)
                totals.planNanoseconds += plannedAt - planStarted
                totals.appendNanoseconds += appended - plannedAt
                totals.syncNanoseconds += synced - appended
                totals.commitNanoseconds += committed - synced
            }
        }
        for item in planned { complete(item) }
        if !ops.isEmpty {
            notifyObservers(sequence)
            rankIfDue(afterWrite: true)
        }
    }

    /// Appends a batch and, with `.always`, syncs it; on failure the log is cut back.
    /// Returns when the append (before the sync) finished, for `timings`.
    private func persist(_ bytes: [UInt8], baseOffset: Int) throws -> UInt64 {
        try log.append(bytes)
        let appended = WriterClock.now()
        if durability == .always {
            do {
                try log.sync()
            } catch {
                // The page cache may hold the batch but the disk refused it: drop it so the
                // log never holds an op its writer was told had failed.
                try? log.truncate(to: baseOffset)
                throw error
            }
        }
        return appended
    }

    /// Makes a persisted batch visible to readers.
    private func commit(_ ops: [(op: SequencedOp, offset: Int, prepared: PreparedPut?)]) {
        let size = log.size
        shared.lock.withWriteLock {
            for (sequenced, offset, prepared) in ops {
                shared.state.apply(sequenced.op, sequence: sequenced.sequence, recordOffset: offset, prepared: prepared)
            }
            shared.state.logBytes = size
        }
    }

    private func notifyObservers(_ lastSequence: UInt64) {
        for handler in observers.withLock({ Array($0.values) }) { handler(lastSequence) }
    }

    /// How many ops ahead of the one being applied its id's slot is prefetched.
    private static let slotLookahead = 8

    /// How a live quote compares with a put of the same id.
    private enum StoredMatch { case absent, same, different }

    /// The id of the live quote `text` (an id or unique prefix) names, this batch included.
    private func resolveLive(_ text: String, overlay: [QuoteID: (version: OpVersion, encoded: [UInt8]?)])
        throws(ArchiveError) -> QuoteID {
        do throws(ArchiveError) {
            let ordinal = try writerView.resolve(text)
            let id = writerView.entries[Int(ordinal)].id
            if let pending = overlay[id], pending.version.kind == .delete { throw ArchiveError.notFound(text) }
            return id
        } catch .notFound {
            // A quote added earlier in this same batch is not in the state yet.
            let prefix = QuoteIDPrefix(hex: text.trimmingNewlines())
            let matches = overlay.filter { $0.value.version.kind == .put && prefix?.matches($0.key) == true }
            guard matches.count == 1, let match = matches.first else { throw .notFound(text) }
            return match.key
        }
    }

    private func complete(_ item: Planned) {
        switch item {
        case let .add(results, completion): completion(results)
        case let .edit(result, completion): completion(result)
        case let .delete(result, completion): completion(result)
        case let .apply(result, completion): completion(result)
        case let .barrier(completion): completion()
        }
    }

    /// Answers a request whose batch was not persisted. `unstored` holds the ids of the
    /// batch's ops: an `alreadyPresent` that leaned on one of them (the same quote twice in
    /// one batch) is not stored either.
    private func failPlanned(_ item: Planned, _ error: ArchiveError, unstored: Set<QuoteID>) {
        switch item {
        case let .add(results, completion):
            completion(results.map { result in
                ArchiveWriter.leansOnBatch(result, unstored: unstored) ? .rejected(error.code, error.description) : result
            })
        case let .edit(result, completion):
            if case let .success((answer, previous)) = result,
               ArchiveWriter.leansOnBatch(answer, unstored: unstored) || unstored.contains(previous) {
                completion(.failure(error))
            } else {
                completion(result)
            }
        case let .delete(result, completion):
            if case .success = result { completion(.failure(error)) } else { completion(result) }
        case let .apply(_, completion): completion(.failure(error))
        case let .barrier(completion): completion()
        }
    }

    /// Whether `result` reported a write of this batch, or leaned on one (the same quote
    /// twice in one batch: the second is `alreadyPresent` because of the first).
    private static func leansOnBatch(_ result: AddResult, unstored: Set<QuoteID>) -> Bool {
        switch result.status {
        case .added, .updated: return true
        case .alreadyPresent, .differs: return unstored.contains(result.id)
        case .rejected: return false
        }
    }

    private func fail(_ request: WriteRequest, _ error: ArchiveError) {
        switch request {
        case let .add(prepared, _, completion): completion(prepared.map { _ in .rejected(error.code, error.description) })
        case let .edit(_, _, completion): completion(.failure(error))
        case let .delete(_, completion): completion(.failure(error))
        case let .apply(_, _, completion): completion(.failure(error))
        case let .barrier(completion): completion()
        }
    }
}
