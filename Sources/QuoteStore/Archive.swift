import CQuoteSupport
import Dispatch
import QuoteCore
import Synchronization

/// A durable quote archive in one data directory: the log, recovery, and the indexes.
///
/// Reads (`get`, `search`, `random`, `changes`, `digest`) run on the caller's thread,
/// many at once, under the state's read lock. Writes (`add`, `delete`, `apply`) are queued
/// and performed by one serial writer queue, which batches everything queued meanwhile
/// into one append and, with `.always`, one `fdatasync`: group commit.
public final class Archive: Sendable {
    /// When appended ops reach the disk.
    public enum Durability: Sendable, Equatable {
        /// `fdatasync` before any write is acknowledged; concurrent writes share one sync.
        case always
        /// Acknowledge after `write`, sync every `milliseconds`.
        case interval(milliseconds: Int)
        /// Leave syncing to the OS.
        case never
    }

    /// How to open the archive.
    public struct Options: Sendable {
        /// When appended ops reach the disk.
        public var durability: Durability = .always
        /// Keep every valid record of a log damaged in the middle instead of refusing it.
        public var repair = false
        /// The clock; injected by tests.
        public var clock = HybridLogicalClock()

        /// Default options: `.always`, no repair, the system clock.
        public init() {}
    }

    /// This archive's node id.
    public let nodeID: UInt64
    /// What recovery found when the log was opened.
    public let recoveryReport: RecoveryReport
    /// How long each phase of opening the log took.
    public let openTimings: OpenTimings
    /// Where the search indexes came from at open: the index snapshot or the log.
    public let indexSource: IndexSource

    /// The phases of opening a log, in milliseconds: reading it into memory, checking and
    /// applying its records, and building the indexes.
    public struct OpenTimings: Sendable {
        public var readMilliseconds: Int
        public var checkMilliseconds: Int
        public var indexMilliseconds: Int
    }
    /// The data directory's path.
    public let path: String

    private let directory: DataDirectory
    let log: LogFile
    let options: Options
    let lock = ReadWriteLock()
    // Guarded by `lock`; mutated only on `writerQueue` while holding it for writing.
    // It lives behind a pointer with addressors so readers borrow it in place: a stored
    // property of this class was copied (every array retained and released) per access.
    private nonisolated(unsafe) let statePointer: UnsafeMutablePointer<ArchiveState>
    var state: ArchiveState {
        unsafeAddress { UnsafePointer(statePointer) }
        unsafeMutableAddress { statePointer }
    }
    private let writerQueue = DispatchQueue(label: "quote-archive.writer", qos: .userInitiated)
    let pending = Mutex(PendingWrites())
    // Set once in init, then only cancelled in deinit.
    private nonisolated(unsafe) let syncTimer: (any DispatchSourceTimer)?
    let observers = Mutex<[UInt64: @Sendable (UInt64) -> Void]>([:])
    private let nextObserverID = Atomic<UInt64>(1)
    let closed = Atomic<Bool>(false)
    /// How many callers have deferred indexing (`deferIndexing()`), and the completions of
    /// `resumeIndexing` calls waiting for the rebuild; changed only on `writerQueue`.
    private let indexingDeferrals = Mutex<(count: Int, waiting: [@Sendable () -> Void])>((0, []))

    struct PendingWrites {
        var requests: [WriteRequest] = []
        var drainScheduled = false
    }

    enum WriteRequest {
        case add([Result<PreparedPut, ValidationError>], @Sendable ([AddResult]) -> Void)
        case delete(String, @Sendable (Result<QuoteID, ArchiveError>) -> Void)
        /// Ops and, for each put, its prepared quote.
        case apply([Op], [PreparedPut?], @Sendable (Result<Int, ArchiveError>) -> Void)
        case barrier(@Sendable () -> Void)
    }

    /// Opens (creating if needed) the archive in `path`, recovering its log.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        directory = try DataDirectory(path: path)
        nodeID = directory.nodeID
        var log = try LogFile(path: directory.logPath, directory: path)
        let started = DispatchTime.now().uptimeNanoseconds
        let image = try log.readAllIntoChunk()
        let read = DispatchTime.now().uptimeNanoseconds
        var state = ArchiveState()
        state.bulkLoading = true
        let chunk = state.arena.adopt(image)
        var maxTimestamp = HybridTimestamp(rawValue: 0)
        // Records are checked but not decoded: only their op's fields are read here, and
        // quotes are read in place from the image when the indexes are built.
        let (validEnd, report) = try LogRecovery.scanSummaries(image.bytes, path: directory.logPath, repair: options.repair,
                                                                  expecting: { state.reserveCapacity($0) },
                                                                  upcoming: { state.ordinals.prefetch($0) }) { record in
            if record.timestamp > maxTimestamp { maxTimestamp = record.timestamp }
            let location = record.kind == .put ? QuoteArena.location(chunk: chunk, offset: record.quoteOffset) : nil
            state.recover(id: record.id, timestamp: record.timestamp, origin: record.origin, kind: record.kind,
                          sequence: record.sequence, recordOffset: record.offset, location: location)
        }
        let checked = DispatchTime.now().uptimeNanoseconds
        if !report.skippedSpans.isEmpty {
            // A repaired log is rewritten without the damage, so the next open is clean.
            log = try Archive.rewrite(image: image.bytes, keeping: &state, log: log, directory: path)
        } else if validEnd < image.count {
            try log.truncate(to: validEnd)
        }
        // Compacts the image, so it comes after the rewrite has copied the records out.
        switch Result(catching: { () throws(IndexSnapshot.Rejection) in try IndexSnapshot.read(from: path) }) {
        case let .success(snapshot):
            indexSource = state.finishBulkLoad(snapshot: snapshot)
        case let .failure(rejection):
            _ = state.finishBulkLoad()
            indexSource = .built(reason: rejection.reason)
        }
        #if os(Linux)
        // Building the indexes freed much more than they keep; hand the free pages back.
        malloc_trim(0)
        #endif
        let indexed = DispatchTime.now().uptimeNanoseconds
        openTimings = OpenTimings(readMilliseconds: Int((read - started) / 1_000_000),
                                  checkMilliseconds: Int((checked - read) / 1_000_000),
                                  indexMilliseconds: Int((indexed - checked) / 1_000_000))
        self.log = log
        state.logBytes = log.size
        options.clock.observe(maxTimestamp)
        statePointer = .allocate(capacity: 1)
        statePointer.initialize(to: state)
        recoveryReport = report
        if case let .interval(milliseconds) = options.durability {
            let timer = DispatchSource.makeTimerSource(queue: writerQueue)
            timer.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds))
            syncTimer = timer
        } else {
            syncTimer = nil
        }
        if let syncTimer {
            let log = self.log
            syncTimer.setEventHandler { try? log.sync() }
            syncTimer.resume()
        }
    }

    /// A repaired log: header plus every kept record, written to a new file and renamed over,
    /// so a crash leaves either the damaged log or the whole repaired one. The kept records'
    /// offsets (used by `changes`) move to where they now sit; returns the reopened log.
    private static func rewrite(image: UnsafeRawBufferPointer, keeping state: inout ArchiveState, log: LogFile,
                                directory: String) throws -> LogFile {
        var kept = LogFormat.header
        for index in 0..<state.records.count {
            let record = LogRecord(image, at: state.records.offset(at: index))
            state.records.setOffset(kept.count, at: index)
            kept.append(contentsOf: image[record.start..<(record.start + record.size)])
        }
        try DataDirectory.writeDurably(kept, to: log.path, directory: directory)
        return try LogFile(path: log.path, directory: directory)
    }

    deinit {
        syncTimer?.cancel()
        statePointer.deinitialize(count: 1)
        statePointer.deallocate()
    }

    // MARK: Reads

    /// The live quote whose id is `idOrPrefix` or uniquely starts with it.
    public func get(_ idOrPrefix: String) throws(ArchiveError) -> ArchivedQuote {
        try lock.withReadLock { () throws(ArchiveError) -> ArchivedQuote in
            // One call on the state (see `encodeGet`).
            try state.get(idOrPrefix)
        }
    }

    /// A page of quotes matching `filter`, ordered by date (undated last) then id.
    public func search(_ filter: SearchFilter, limit: Int, cursor: [UInt8] = []) throws(ArchiveError) -> (quotes: [ArchivedQuote], cursor: [UInt8]) {
        guard limit >= 1 else { throw .invalidQuery("the limit must be at least 1") }
        return try lock.withReadLock { () throws(ArchiveError) -> ([ArchivedQuote], [UInt8]) in
            try state.search(filter, limit: limit, cursor: cursor)
        }
    }

    /// Writes the GET_OK payload for `idOrPrefix` (an `ArchivedQuote`) straight from the
    /// stored bytes; what `get` returns, without building it. Nothing is written on error.
    public func encodeGet(_ idOrPrefix: String, into writer: inout ByteWriter) throws(ArchiveError) {
        try lock.withReadLock { () throws(ArchiveError) in
            // One call on the state: two (resolve, then encode) copied all of it, retaining
            // every array, to hold the first borrow across the second access.
            try state.encodeGet(idOrPrefix, into: &writer)
        }
    }

    /// Writes the SEARCH_OK payload for a page straight from the stored bytes; what `search`
    /// returns, without building it. Nothing is written on error.
    public func encodeSearchPage(_ filter: SearchFilter, limit: Int, cursor: [UInt8] = [],
                                 into writer: inout ByteWriter) throws(ArchiveError) {
        guard limit >= 1 else { throw .invalidQuery("the limit must be at least 1") }
        try lock.withReadLock { () throws(ArchiveError) in
            try state.encodeSearchPage(filter, limit: limit, cursor: cursor, into: &writer)
        }
    }

    /// A quote among the matches: uniform when `day` is 0, else the quote of that day
    /// (days since 1970-01-01): the match with the smallest `dayScore`, the same for everyone.
    public func random(_ filter: SearchFilter, day: UInt32 = 0) throws(ArchiveError) -> ArchivedQuote {
        try lock.withReadLock { () throws(ArchiveError) -> ArchivedQuote in
            if filter.isEmpty && day == 0 && state.liveCount > 0 {
                // Sampling beats listing a million matches; live entries are the vast majority.
                for _ in 0..<64 {
                    let ordinal = UInt32.random(in: 0..<UInt32(state.entries.count))
                    if state.entries[Int(ordinal)].isLive { return state.archived(ordinal) }
                }
            }
            let matches = state.allMatches(filter)
            guard !matches.isEmpty else { throw .noMatch }
            if day == 0 { return state.archived(matches.randomElement()!) }
            let chosen = matches.min { left, right in
                let a = Archive.dayScore(state.entries[Int(left)].id, day: day)
                let b = Archive.dayScore(state.entries[Int(right)].id, day: day)
                return a != b ? a < b : state.entries[Int(left)].id < state.entries[Int(right)].id
            }!
            return state.archived(chosen)
        }
    }

    /// The score that picks the quote of a day: SHA-256(u32 day ‖ id), first 8 bytes, big-endian.
    public static func dayScore(_ id: QuoteID, day: UInt32) -> UInt64 {
        var writer = ByteWriter(capacity: 20)
        writer.writeInteger(day)
        id.encode(into: &writer)
        var reader = ByteReader(SHA256.hash(writer.bytes))
        return (try? reader.readInteger(as: UInt64.self)) ?? 0
    }

    /// Ops with a sequence number above `since`, in order, up to `maxOps` or about
    /// `maxBytes` of log (at least one op when any is pending); and the last sequence number.
    public func changes(since: UInt64, maxOps: Int, maxBytes: Int = 512 * 1024) throws(ArchiveError) -> (ops: [SequencedOp], lastSequence: UInt64) {
        let (bytes, last) = try changedRecords(since: since, maxOps: maxOps, maxBytes: maxBytes)
        var ops: [SequencedOp] = []
        do throws(DecodeError) {
            try Archive.forEachRecordBody(bytes) { (body) throws(DecodeError) in
                var reader = ByteReader(bytes, range: body)
                ops.append(try SequencedOp.decode(from: &reader))
            }
        } catch {
            throw .storage("the log does not decode where CHANGES reads it: \(error)")
        }
        return (ops, last)
    }

    /// Writes the CHANGES_OK payload of the page `changes` would return, copying the ops'
    /// bytes from the log (a record's body after its type byte is the op's wire encoding)
    /// instead of decoding and re-encoding them. Returns the last sequence number written
    /// (nil for an empty page) and the archive's last sequence number. Nothing is written
    /// on error.
    public func encodeChanges(since: UInt64, maxOps: Int, maxBytes: Int = 512 * 1024,
                              into writer: inout ByteWriter) throws(ArchiveError) -> (lastSent: UInt64?, lastSequence: UInt64) {
        let (bytes, last) = try changedRecords(since: since, maxOps: maxOps, maxBytes: maxBytes)
        var bodies: [Range<Int>] = []
        do throws(DecodeError) {
            try Archive.forEachRecordBody(bytes) { bodies.append($0) }
        } catch {
            throw .storage("the log does not decode where CHANGES reads it: \(error)")
        }
        writer.writeInteger(UInt32(bodies.count))
        var lastSent: UInt64?
        bytes.withUnsafeBytes { raw in
            for body in bodies {
                writer.writeBytes(UnsafeRawBufferPointer(rebasing: raw[body]))
                lastSent = RawByteReader(raw).integer(at: body.lowerBound + SequencedOp.Layout.sequence, as: UInt64.self)
            }
        }
        writer.writeInteger(last)
        return (lastSent, last)
    }

    /// The log bytes of the records after `since` (a page as `changes` describes it), and
    /// the last sequence number.
    private func changedRecords(since: UInt64, maxOps: Int, maxBytes: Int) throws(ArchiveError) -> (bytes: [UInt8], lastSequence: UInt64) {
        // Every record of the log is listed, so records are contiguous: one pread covers a page.
        let (start, end, last): (Int, Int, UInt64) = lock.withReadLock {
            let records = state.records
            let first = records.firstPosition(after: since)
            var count = 0
            while first + count < records.count && count < max(1, maxOps) {
                let recordEnd = first + count + 1 < records.count ? records.offset(at: first + count + 1) : state.logBytes
                if count > 0 && recordEnd - records.offset(at: first) > maxBytes { break }
                count += 1
            }
            guard count > 0 else { return (0, 0, state.lastSequence) }
            let startOffset = records.offset(at: first)
            let endOffset = first + count < records.count ? records.offset(at: first + count) : state.logBytes
            return (startOffset, endOffset, state.lastSequence)
        }
        guard end > start else { return ([], last) }
        do {
            return (try log.read(at: start, count: end - start), last)
        } catch {
            throw .storage(String(describing: error))
        }
    }

    /// Calls `body` with the range of each record's payload (the op's wire encoding) in
    /// `bytes`, whole records read back from the log; a record whose checksum fails (the
    /// disk changed under us) throws rather than reach a peer.
    private static func forEachRecordBody(_ bytes: [UInt8], _ body: (Range<Int>) throws(DecodeError) -> Void) throws(DecodeError) {
        let payloads = bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) -> [Range<Int>] in
                var payloads: [Range<Int>] = []
                var offset = 0
                while offset + LogFormat.recordHeaderBytes <= raw.count {
                    let record = LogRecord(raw, at: offset)
                    guard record.length > 1, offset + record.size <= raw.count else {
                        throw .truncated(offset: offset, needed: record.size, available: raw.count - offset)
                    }
                    guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[record.checkedBytes])) == record.storedChecksum else {
                        throw .invalidValue(offset: offset, field: "record checksum")
                    }
                    payloads.append(record.payload)
                    offset += record.size
                }
                return payloads
            }
        }
        for payload in try payloads.get() { try body(payload) }
    }

    /// The number of live quotes and the order-independent digest of every id's winning op.
    public func digest() -> (liveCount: UInt64, digest: [UInt8]) {
        if let ready = lock.withReadLock({ state.digest.map { (UInt64(state.liveCount), $0.bytes) } }) { return ready }
        return lock.withWriteLock {
            if state.digest == nil {
                var digest = ArchiveDigest()
                for entry in state.entries { digest.add(entry) }
                state.digest = digest
            }
            return (UInt64(state.liveCount), state.digest!.bytes)
        }
    }

    /// Counts for STATS.
    public var statistics: ArchiveStatistics {
        lock.withReadLock {
            ArchiveStatistics(liveQuotes: state.liveCount, deletedQuotes: state.entries.count - state.liveCount,
                              logBytes: state.logBytes, lastSequence: state.lastSequence,
                              speakers: state.speakers.count, words: state.words.count)
        }
    }

    // MARK: Writes

    /// Validates and stores quotes; `completion` gets one result per quote, in order,
    /// once every stored quote is as durable as the archive's durability promises.
    public func add(_ quotes: [Quote], completion: @escaping @Sendable ([AddResult]) -> Void) {
        // Canonicalizing, encoding, hashing and folding happen here, on the caller's thread,
        // so the single writer only decides, copies and indexes.
        let prepared = quotes.map { quote -> Result<PreparedPut, ValidationError> in
            do throws(ValidationError) {
                return .success(PreparedPut(canonical: try quote.canonicalized()))
            } catch {
                return .failure(error)
            }
        }
        submit(.add(prepared, completion))
    }

    /// Deletes the live quote `idOrPrefix` names, leaving a tombstone.
    public func delete(_ idOrPrefix: String, completion: @escaping @Sendable (Result<QuoteID, ArchiveError>) -> Void) {
        submit(.delete(idOrPrefix, completion))
    }

    /// Applies ops from another archive; those that lose or are known are skipped.
    /// `completion` gets the number appended.
    public func apply(_ ops: [Op], completion: @escaping @Sendable (Result<Int, ArchiveError>) -> Void) {
        // An op's id must be its quote's hash, or a peer could file a quote under any id.
        var prepared: [PreparedPut?] = []
        prepared.reserveCapacity(ops.count)
        for op in ops {
            guard op.kind == .put else {
                prepared.append(nil)
                continue
            }
            guard let quote = op.quote, case let put = PreparedPut(canonical: quote), put.id == op.id else {
                completion(.failure(.rejectedOp("the quote of op \(op.id) does not hash to that id")))
                return
            }
            prepared.append(put)
        }
        // The clock must stay able to pass every timestamp the log holds, since the
        // archive's own ops are applied as winners. Near `UInt64.max` it cannot: its next
        // reading wraps to 0, and a delete dated 0 loses to the put it deleted on replay.
        let horizon = HybridLogicalClock.systemMilliseconds() + Archive.maxFutureMilliseconds
        for op in ops where op.timestamp.milliseconds > horizon {
            completion(.failure(.rejectedOp("op \(op.id) is dated \(op.timestamp), over a year ahead of this clock")))
            return
        }
        submit(.apply(ops, prepared, completion))
    }

    /// Stops indexing the quotes written from now on, until `resumeIndexing` has been called
    /// as many times as this: a replica catching up on a large backlog applies it several
    /// times faster without keeping every index sorted op by op, then builds the indexes
    /// in one go, as opening a log does.
    ///
    /// Meanwhile every write is as durable as ever and GET by whole id, CHANGES, DIGEST and
    /// STATS see it; searches (and so export), RANDOM and id prefixes see only what was
    /// indexed before.
    public func deferIndexing() {
        writerQueue.async { [self] in
            let first = indexingDeferrals.withLock { deferrals -> Bool in
                deferrals.count += 1
                return deferrals.count == 1
            }
            if first { lock.withWriteLock { state.bulkLoading = true } }
        }
    }

    /// Ends one `deferIndexing()`; after the last, builds every index again over all the
    /// quotes. `completion` runs once every quote is indexed: after that rebuild, so a
    /// caller that is not the last waits for the others. Readers go on with the old
    /// indexes during the build; writes wait for it.
    public func resumeIndexing(completion: @escaping @Sendable () -> Void = {}) {
        writerQueue.async { [self] in
            let waiting = indexingDeferrals.withLock { deferrals -> [@Sendable () -> Void]? in
                deferrals.count -= 1
                deferrals.waiting.append(completion)
                guard deferrals.count == 0 else { return nil }
                defer { deferrals.waiting = [] }
                return deferrals.waiting
            }
            guard let waiting else { return }
            // Only this queue changes the entries and indexes, so a copy taken now stays
            // current while it is rebuilt; readers keep the old one until the swap.
            var rebuilt = lock.withReadLock { state }
            rebuilt.rebuildIndexes()
            lock.withWriteLock {
                // The digest is the one thing a reader may have filled in meanwhile.
                rebuilt.digest = state.digest
                state = rebuilt
            }
            #if os(Linux)
            malloc_trim(0)
            #endif
            for completion in waiting { completion() }
        }
    }

    /// How far ahead of the wall clock an applied op may be dated: far beyond any real
    /// clock skew, far below where the hybrid clock would run out of readings.
    static let maxFutureMilliseconds: UInt64 = 366 * 86_400_000

    /// Calls `completion` once every write submitted before it is done.
    public func barrier(_ completion: @escaping @Sendable () -> Void) {
        submit(.barrier(completion))
    }

    /// Makes every op applied so far durable, whatever the durability mode. Replication
    /// calls it before advancing a checkpoint, which must never get ahead of the log.
    public func syncNow() throws {
        try writerQueue.sync { try log.sync() }
    }

    /// When appended ops reach the disk.
    public var durability: Durability { options.durability }

    /// Registers `handler` to hear the last sequence number after each durable append;
    /// returns a token for `removeObserver`.
    public func addObserver(_ handler: @escaping @Sendable (UInt64) -> Void) -> UInt64 {
        let id = nextObserverID.wrappingAdd(1, ordering: .relaxed).oldValue
        observers.withLock { $0[id] = handler }
        return id
    }

    /// Stops calling an observer.
    public func removeObserver(_ token: UInt64) {
        _ = observers.withLock { $0.removeValue(forKey: token) }
    }

    /// Finishes queued writes, syncs the log and saves the index snapshot the next open
    /// loads (unless the one on disk is current). Later writes fail with `.closed`.
    @discardableResult
    public func close() -> IndexSnapshotWrite {
        let done = DispatchSemaphore(value: 0)
        barrier { done.signal() }
        done.wait()
        closed.store(true, ordering: .sequentiallyConsistent)
        let snapshot = writerQueue.sync { () -> IndexSnapshotWrite in
            // The snapshot must never cover ops the log might lose.
            do { try log.sync() } catch { return .failed("the log could not be synced: \(error)") }
            return writeIndexSnapshot()
        }
        directory.release()
        return snapshot
    }

    /// Saves the indexes for the next open; on the writer queue, after the log is synced.
    private func writeIndexSnapshot() -> IndexSnapshotWrite {
        let state = currentState
        if state.bulkLoading { return .skipped(reason: "indexing is deferred") }
        if state.snapshotIsCurrent { return .skipped(reason: "the snapshot on disk is current") }
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let bytes = try IndexSnapshot.write(state, to: path)
            lock.withWriteLock { self.state.snapshotIsCurrent = true }
            return .written(bytes: bytes, milliseconds: Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000))
        } catch {
            return .failed(error.description)
        }
    }

    // MARK: Writer support (called only on `writerQueue`)

    func takePendingRequests() -> [WriteRequest] {
        pending.withLock { pending in
            let requests = pending.requests
            pending.requests = []
            pending.drainScheduled = false
            return requests
        }
    }

    var isClosed: Bool { closed.load(ordering: .sequentiallyConsistent) }

    /// The state as the writer sees it; safe unlocked because only the writer mutates it.
    var currentState: ArchiveState {
        unsafeAddress { UnsafePointer(statePointer) }
    }

    var logSize: Int { log.size }

    var clock: HybridLogicalClock { options.clock }

    /// Appends a batch and, with `.always`, syncs it; on failure the log is cut back.
    func persist(_ bytes: [UInt8], baseOffset: Int) throws {
        try log.append(bytes)
        if options.durability == .always {
            do {
                try log.sync()
            } catch {
                // The page cache may hold the batch but the disk refused it: drop it so the
                // log never holds an op its writer was told had failed.
                try? log.truncate(to: baseOffset)
                throw error
            }
        }
    }

    /// Makes a persisted batch visible to readers.
    func commit(_ ops: [(op: SequencedOp, offset: Int, prepared: PreparedPut?)]) {
        let size = log.size
        lock.withWriteLock {
            for (sequenced, offset, prepared) in ops {
                state.apply(sequenced.op, sequence: sequenced.sequence, recordOffset: offset, prepared: prepared)
            }
            state.logBytes = size
        }
    }

    func notifyObservers(_ lastSequence: UInt64) {
        for handler in observers.withLock({ Array($0.values) }) { handler(lastSequence) }
    }

    private func submit(_ request: WriteRequest) {
        let schedule = pending.withLock { pending -> Bool in
            pending.requests.append(request)
            if pending.drainScheduled { return false }
            pending.drainScheduled = true
            return true
        }
        if schedule { writerQueue.async { self.drain() } }
    }
}
