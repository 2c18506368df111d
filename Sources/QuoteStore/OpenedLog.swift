import CQuoteSupport
import Dispatch
import QuoteCore
import QuotePOSIX
#if canImport(Glibc)
import Glibc
#endif

/// A data directory's log opened: recovered, cut back or repaired, and its indexes loaded
/// from the snapshot or built. What `Archive.init` starts from.
struct OpenedLog {
    var state: ArchiveState
    var log: LogFile
    var report: RecoveryReport
    var timings: Archive.OpenTimings
    var indexSource: IndexSource
    /// The newest timestamp in the log: the clock must not read below it.
    var maxTimestamp: HybridTimestamp

    /// Opens the log of `directory`, recovering it as `repair` allows.
    init(directory: DataDirectory, path: String, repair: Bool) throws {
        try OpenedLog.refuseEmptiedLog(directory.logPath, in: path)
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
        let (validEnd, report) = try LogRecovery.scanSummaries(image.bytes, path: directory.logPath, repair: repair,
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
            log = try OpenedLog.rewrite(image: image.bytes, keeping: &state, log: log, directory: path)
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
        timings = Archive.OpenTimings(readMilliseconds: Int((read - started) / 1_000_000),
                                      checkMilliseconds: Int((checked - read) / 1_000_000),
                                      indexMilliseconds: Int((indexed - checked) / 1_000_000))
        state.logBytes = log.size
        self.state = state
        self.log = log
        self.report = report
        self.maxTimestamp = maxTimestamp
    }

    /// Refuses a zero-length log beside files only an opened archive leaves (its index
    /// snapshot, its replication checkpoints): a new log is never empty once opened, since
    /// its header is written and synced first, so such a log was emptied from outside.
    /// A zero-length log with only a node id is a first open cut short, and starts afresh.
    static func refuseEmptiedLog(_ logPath: String, in directory: String) throws(LogError) {
        var info = stat()
        guard stat(logPath, &info) == 0, info.st_size == 0 else { return }
        let leftovers = [IndexSnapshot.fileName, "replication-checkpoints"].filter { SystemCall.exists(directory + "/" + $0) }
        guard !leftovers.isEmpty else { return }
        throw .emptied(path: logPath, evidence: leftovers.joined(separator: " and "))
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
}
