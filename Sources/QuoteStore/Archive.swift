import Dispatch
import QuoteCore

/// A durable quote archive in one data directory: the facade over its parts.
///
/// Opening is `OpenedLog` (recovery, repair, the indexes loaded or built). Reads (`get`,
/// `search`, `random`, `changes`, `digest`) run here, on the caller's thread, many at once,
/// under the state's read lock (`GuardedArchiveState`). Writes (`add`, `delete`, `apply`)
/// are prepared here, on the caller's thread (canonicalized, encoded, hashed), then handed
/// to the `ArchiveWriter`, which batches everything queued meanwhile into one append and,
/// with `.always`, one `fdatasync`: group commit.
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
        /// How much work one search page may do before it ends short, with a cursor to go
        /// on from (see `SearchWork`); tests make it small.
        public var searchWorkBudget = Archive.defaultSearchWorkBudget

        /// Default options: `.always`, no repair, the system clock.
        public init() {}
    }

    /// The work one search page may do by default: see `SearchWork`.
    public static var defaultSearchWorkBudget: Int { SearchWork.defaultBudget }

    /// This archive's node id.
    public let nodeID: UInt64
    /// What recovery found when the log was opened.
    public let recoveryReport: RecoveryReport
    /// How long each phase of opening the log took.
    public let openTimings: OpenTimings
    /// Where the search indexes came from at open: the index snapshot or the log.
    public let indexSource: IndexSource
    /// What upgrading a version-1 log did at this open, if it had to.
    public let upgrade: UpgradeReport?

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
    let shared: GuardedArchiveState
    let writer: ArchiveWriter
    /// The state, read in place; only under `shared.lock`, see `GuardedArchiveState`.
    var state: ArchiveState {
        unsafeAddress { UnsafePointer(shared.pointer) }
    }
    var lock: ReadWriteLock { shared.lock }

    /// Opens (creating if needed) the archive in `path`, recovering its log.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        directory = try DataDirectory(path: path)
        nodeID = directory.nodeID
        upgrade = try LogUpgrade.upgradeIfNeeded(directory: path, repair: options.repair)
        let opened = try OpenedLog(directory: directory, path: path, repair: options.repair)
        LogUpgrade.finish(directory: path)
        options.clock.observe(opened.maxTimestamp)
        log = opened.log
        recoveryReport = opened.report
        openTimings = opened.timings
        indexSource = opened.indexSource
        shared = GuardedArchiveState(opened.state)
        writer = ArchiveWriter(log: opened.log, shared: shared, durability: options.durability, clock: options.clock,
                               nodeID: nodeID, path: path)
        // Word and tag searches use the ordinal lists until the first ranking is in.
        writer.queue.async { [writer] in writer.rankIfDue() }
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
            try state.search(filter, limit: limit, cursor: cursor, budget: options.searchWorkBudget)
        }
    }

    /// The speakers whose names match `query` (SPEAKERS: every word, the last one a prefix
    /// when it ends in `*`) with their live quote counts, most first, at most `limit`; and
    /// how many matched.
    public func speakers(matching query: String, limit: Int) throws(ArchiveError) -> (matching: Int, speakers: [SpeakerCount]) {
        guard limit >= 1 else { throw .invalidQuery("the limit must be at least 1") }
        return try lock.withReadLock { () throws(ArchiveError) -> (matching: Int, speakers: [SpeakerCount]) in
            try state.speakers(matching: query, limit: limit)
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
            try state.encodeSearchPage(filter, limit: limit, cursor: cursor, budget: options.searchWorkBudget, into: &writer)
        }
    }

    /// How many live quotes match `filter` (COUNT).
    public func count(_ filter: SearchFilter) throws(ArchiveError) -> Int {
        try lock.withReadLock { () throws(ArchiveError) -> Int in try state.count(filter) }
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
            let matches = try state.allMatches(filter)
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

    /// The number of live quotes and the archive's two order-independent digests: of its
    /// content (live quotes and their metadata) and of every id's winning op.
    /// `digest` is the content digest, the one that says whether two archives hold the same.
    public func digest() -> (liveCount: UInt64, digest: [UInt8], opsDigest: [UInt8]) {
        func answer(_ state: ArchiveState, _ digest: ArchiveDigest) -> (liveCount: UInt64, digest: [UInt8], opsDigest: [UInt8]) {
            (UInt64(state.liveCount), digest.content.bytes, digest.ops.bytes)
        }
        if let ready = lock.withReadLock({ state.digest.map { answer(state, $0) } }) { return ready }
        return lock.withWriteLock {
            // The one change a reader makes: the digest cache, under the write lock.
            if state.digest == nil { shared.state.digest = state.computeDigest() }
            return answer(state, state.digest!)
        }
    }

    /// Counts for STATS.
    public var statistics: ArchiveStatistics {
        lock.withReadLock {
            ArchiveStatistics(liveQuotes: state.liveCount, deletedQuotes: state.entries.count - state.liveCount - state.supersededCount,
                              logBytes: state.logBytes, lastSequence: state.lastSequence,
                              speakers: state.indexes.speakers.names.count, words: state.indexes.words.terms.count,
                              rankedQuotes: state.indexes.ranked?.count ?? 0, unrankedQuotes: state.indexes.unranked.count)
        }
    }

    // MARK: Writes

    /// Validates and stores quotes; `completion` gets one result per quote, in order,
    /// once every stored quote is as durable as the archive's durability promises.
    ///
    /// A quote whose id is live with the same metadata is `alreadyPresent`; with other
    /// metadata it is `differs` and nothing changes, unless `replace` is set: then its
    /// metadata is stored as a newer put (`updated`).
    public func add(_ quotes: [Quote], replace: Bool = false, completion: @escaping @Sendable ([AddResult]) -> Void) {
        // Canonicalizing, encoding, hashing and folding happen here, on the caller's thread,
        // so the single writer only decides, copies and indexes.
        writer.submit(.add(quotes.map(Archive.prepare), replace: replace, completion))
    }

    /// Replaces the live quote `idOrPrefix` names by `quote`, in one durable batch: under the
    /// same id when only metadata changed (`updated`, or `alreadyPresent` when nothing did);
    /// else as a put of the new id (`added`, `updated` or `alreadyPresent`, as a replacing
    /// ADD would answer) followed by a delete of the old one. `completion` gets that result
    /// and the old id; a quote that does not validate is `rejected` and nothing changes.
    public func edit(_ idOrPrefix: String, to quote: Quote,
                     completion: @escaping @Sendable (Result<(AddResult, previous: QuoteID), ArchiveError>) -> Void) {
        writer.submit(.edit(idOrPrefix, Archive.prepare(quote), completion))
    }

    private static func prepare(_ quote: Quote) -> Result<PreparedPut, ValidationError> {
        do throws(ValidationError) {
            return .success(PreparedPut(canonical: try quote.canonicalized()))
        } catch {
            return .failure(error)
        }
    }

    /// Deletes the live quote `idOrPrefix` names, leaving a tombstone.
    public func delete(_ idOrPrefix: String, completion: @escaping @Sendable (Result<QuoteID, ArchiveError>) -> Void) {
        writer.submit(.delete(idOrPrefix, completion))
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
        writer.submit(.apply(ops, prepared, completion))
    }

    /// Stops indexing the quotes written from now on, until every deferral handed out has
    /// been resumed: a replica catching up on a large backlog applies it several times
    /// faster without keeping every index sorted op by op, then builds the indexes in one
    /// go, as opening a log does. The last `IndexingDeferral.resume` starts that rebuild.
    ///
    /// Meanwhile every write is as durable as ever and GET by whole id, CHANGES, DIGEST and
    /// STATS see it; searches (and so export), RANDOM and id prefixes see only what was
    /// indexed before. Readers go on with the old indexes during the rebuild; writes wait.
    public func deferIndexing() -> IndexingDeferral {
        writer.deferIndexing()
        return IndexingDeferral(writer: writer)
    }

    /// How far ahead of the wall clock an applied op may be dated: far beyond any real
    /// clock skew, far below where the hybrid clock would run out of readings.
    static let maxFutureMilliseconds: UInt64 = 366 * 86_400_000

    /// Calls `completion` once the word and tag lists are ranked up to date enough that no
    /// new ranking is due or under way (see `RankedIndex`): searches are then at their
    /// fastest. A benchmark or a test waits for this; nothing else needs to.
    public func whenRanked(_ completion: @escaping @Sendable () -> Void) {
        writer.whenRanked(completion)
    }

    /// Waits for `whenRanked`.
    public func waitUntilRanked() {
        let done = DispatchSemaphore(value: 0)
        whenRanked { done.signal() }
        done.wait()
    }

    /// How many rankings finished since open, and how long the last one took to build.
    public var rankings: (count: Int, lastMilliseconds: Int) {
        writer.ranking.withLock { ($0.rankings, Int($0.lastRankingNanoseconds / 1_000_000)) }
    }

    /// Calls `completion` once every write submitted before it is done.
    public func barrier(_ completion: @escaping @Sendable () -> Void) {
        writer.barrier(completion)
    }

    /// Makes every op applied so far durable, whatever the durability mode. Replication
    /// calls it before advancing a checkpoint, which must never get ahead of the log.
    public func syncNow() throws {
        try writer.syncNow()
    }

    /// When appended ops reach the disk.
    public var durability: Durability { options.durability }

    /// Where the writer's time went since the archive opened (`WriterTimings`).
    public var writerTimings: WriterTimings { writer.timings.reading }

    /// Registers `handler` to hear the last sequence number after each durable append;
    /// returns a token for `removeObserver`.
    public func addObserver(_ handler: @escaping @Sendable (UInt64) -> Void) -> UInt64 {
        writer.addObserver(handler)
    }

    /// Stops calling an observer.
    public func removeObserver(_ token: UInt64) {
        writer.removeObserver(token)
    }

    /// Finishes queued writes, syncs the log and saves the index snapshot the next open
    /// loads (unless the one on disk is current). Later writes fail with `.closed`.
    @discardableResult
    public func close() -> IndexSnapshotWrite {
        let snapshot = writer.close()
        directory.release()
        return snapshot
    }
}
