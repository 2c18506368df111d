import Glibc
import QuotePOSIX
import QuoteCore

/// What upgrading a version-1 log did, for the server's log line.
public struct UpgradeReport: Sendable, Equatable {
    /// The version the log had.
    public var fromVersion: UInt32
    /// Records the old log held.
    public var records: Int
    /// Live quotes and tombstones in the new log (one record each).
    public var liveQuotes: Int
    public var tombstones: Int
    /// Version-1 ids that shared words and speaker with another and were merged into it.
    public var merged: Int
    /// Version-1 tombstones without a put in the log, which no version-2 id can name.
    public var droppedTombstones: Int
}

/// Rewrites a version-1 log, whose ids hashed every field of a quote, into a version-2 log,
/// whose ids hash its text and speaker alone (STORAGE.md §8).
///
/// Each version-1 id's winning op is found first, as version 1 read it. Ids whose quotes
/// share words and speaker then become one version-2 id: a live one wins over deleted ones,
/// and among live ones the latest put (what the archive showed before), whose timestamp and
/// origin are kept; if all of them were deleted, the latest delete is kept as the new id's
/// tombstone. A tombstone whose put the log never held names no words and is dropped.
///
/// A crash at any step leaves `quotes.log` whole, in one version or the other:
/// 1. the new log is written to `quotes.log.upgrade` and synced;
/// 2. the index snapshot and the replication checkpoints are removed (they count ordinals
///    and sequence numbers of the old log; peers are read again from the start, which last
///    writer wins makes safe);
/// 3. the old log is linked as `quotes.log.v1`;
/// 4. `quotes.log.upgrade` is renamed over `quotes.log` and the directory synced.
/// `quotes.log.v1` is removed once the new log has opened (`finish`).
enum LogUpgrade {
    static let temporaryName = "quotes.log.upgrade"
    static let keptName = "quotes.log.v1"

    /// The named steps a test can stop the process after (`QUOTE_ARCHIVE_CRASH_AFTER`).
    enum Step: String {
        case written, cleared, kept, renamed
    }

    /// Upgrades the log of `directory` if it is version 1; nil when there was nothing to do.
    static func upgradeIfNeeded(directory: String) throws -> UpgradeReport? {
        let logPath = directory + "/quotes.log"
        guard let header = try readHeader(logPath), header.count == LogFormat.headerBytes,
              header.prefix(8).elementsEqual(LogFormat.magic),
              header.withUnsafeBytes({ RawByteReader($0).integer(at: 8, as: UInt32.self) }) == 1 else {
            // Not version 1 (or no log yet): opening judges it. A temporary file left by
            // an upgrade that stopped before its rename is stale.
            try SystemCall.removeFile(directory + "/" + temporaryName)
            return nil
        }
        guard let image = try SystemCall.readFile(logPath) else { return nil }
        let (records, report) = try rewrite(image, path: logPath)

        let temporary = directory + "/" + temporaryName
        try writeSynced(records, to: temporary)
        crashIfAsked(after: .written)
        try SystemCall.removeFile(IndexSnapshot.path(in: directory))
        try SystemCall.removeFile(directory + "/replication-checkpoints")
        try DataDirectory.syncDirectory(directory)
        crashIfAsked(after: .cleared)
        let kept = directory + "/" + keptName
        try SystemCall.removeFile(kept)
        try SystemCall.require("link", kept) { link(logPath, kept) }
        try DataDirectory.syncDirectory(directory)
        crashIfAsked(after: .kept)
        try SystemCall.require("rename", logPath) { rename(temporary, logPath) }
        try DataDirectory.syncDirectory(directory)
        crashIfAsked(after: .renamed)
        return report
    }

    /// Removes the version-1 log an upgrade kept, once the version-2 log has opened.
    static func finish(directory: String) {
        let kept = directory + "/" + keptName
        guard SystemCall.exists(kept) else { return }
        try? SystemCall.removeFile(kept)
        try? DataDirectory.syncDirectory(directory)
    }

    /// The version-2 log image for a version-1 image: header and records.
    static func rewrite(_ image: [UInt8], path: String) throws(LogError) -> ([UInt8], UpgradeReport) {
        struct Known {
            var winner: Op
            var quote: Quote?
            var sequence: UInt64
        }
        var known: [QuoteID: Known] = [:]
        var recordCount = 0
        _ = try LogRecovery.scan(image, path: path, repair: false) { record in
            recordCount += 1
            let op = record.sequenced.op
            var entry = known[op.id] ?? Known(winner: op, quote: op.quote, sequence: record.sequenced.sequence)
            if entry.quote == nil { entry.quote = op.quote }
            if op.version >= entry.winner.version {
                entry.winner = op
                entry.sequence = record.sequenced.sequence
            }
            known[op.id] = entry
        }

        // Version-1 ids grouped under their version-2 id; the best of each group wins.
        var groups: [QuoteID: (op: Op, sequence: UInt64, members: Int)] = [:]
        var droppedTombstones = 0
        for (_, entry) in known {
            guard let quote = entry.quote else {
                droppedTombstones += 1
                continue
            }
            let id = quote.id
            let candidate: Op = entry.winner.kind == .put
                ? .put(quote, id: id, timestamp: entry.winner.timestamp, origin: entry.winner.origin)
                : .delete(id, timestamp: entry.winner.timestamp, origin: entry.winner.origin)
            guard let current = groups[id] else {
                groups[id] = (candidate, entry.sequence, 1)
                continue
            }
            let better = LogUpgrade.ranks(candidate, above: current.op)
            groups[id] = better ? (candidate, entry.sequence, current.members + 1) : (current.op, current.sequence, current.members + 1)
        }

        // In the order the winning ops had in the old log, numbered densely from 1.
        let ordered = groups.values.sorted { $0.sequence < $1.sequence }
        var writer = ByteWriter(capacity: image.count)
        writer.writeBytes(LogFormat.header)
        var report = UpgradeReport(fromVersion: 1, records: recordCount, liveQuotes: 0, tombstones: 0, merged: 0,
                            droppedTombstones: droppedTombstones)
        for (index, group) in ordered.enumerated() {
            LogFormat.appendRecord(SequencedOp(sequence: UInt64(index + 1), op: group.op), to: &writer)
            if group.op.kind == .put { report.liveQuotes += 1 } else { report.tombstones += 1 }
            report.merged += group.members - 1
        }
        return (writer.bytes, report)
    }

    /// Whether `candidate` should stand for its version-2 id instead of `current`: a put
    /// beats a delete, then the later op wins.
    static func ranks(_ candidate: Op, above current: Op) -> Bool {
        if (candidate.kind == .put) != (current.kind == .put) { return candidate.kind == .put }
        return candidate.version > current.version
    }

    private static func readHeader(_ path: String) throws(SystemError) -> [UInt8]? {
        let file: FileDescriptor
        do throws(SystemError) {
            file = try FileDescriptor(opening: path, flags: O_RDONLY)
        } catch where error.errno == ENOENT {
            return nil
        }
        var header = [UInt8](repeating: 0, count: LogFormat.headerBytes)
        let count = try SystemCall.require("read", path) {
            header.withUnsafeMutableBytes { Glibc.read(file.rawValue, $0.baseAddress, $0.count) }
        }
        return Array(header[0..<count])
    }

    private static func writeSynced(_ bytes: [UInt8], to path: String) throws(SystemError) {
        let file = try FileDescriptor(opening: path, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
        try SystemCall.writeAll(file.rawValue, bytes, target: path)
        try SystemCall.require("fsync", path) { fsync(file.rawValue) }
    }

    /// Kills the process with SIGKILL after `step` when the environment asks: how the tests
    /// check that a crash at each step leaves a whole archive.
    private static func crashIfAsked(after step: Step) {
        guard let asked = getenv("QUOTE_ARCHIVE_CRASH_AFTER"), String(cString: asked) == "upgrade-" + step.rawValue else {
            return
        }
        kill(getpid(), SIGKILL)
    }
}
