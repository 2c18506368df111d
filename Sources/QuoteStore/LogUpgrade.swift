import Dispatch
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
    /// How long the upgrade took, reading to renaming.
    public var milliseconds = 0
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
    /// `repair` reads a version-1 log damaged in the middle as recovery's repair does,
    /// keeping every valid record; without it such a log is refused, untouched.
    static func upgradeIfNeeded(directory: String, repair: Bool) throws -> UpgradeReport? {
        let logPath = directory + "/quotes.log"
        guard let header = try SystemCall.readFile(logPath, maxBytes: LogFormat.headerBytes),
              header.count == LogFormat.headerBytes,
              header.prefix(8).elementsEqual(LogFormat.magic),
              header.withUnsafeBytes({ RawByteReader($0).integer(at: 8, as: UInt32.self) }) == 1 else {
            // Not version 1 (or no log yet): opening judges it. A temporary file left by
            // an upgrade that stopped before its rename is stale.
            try SystemCall.removeFile(directory + "/" + temporaryName)
            return nil
        }
        let started = DispatchTime.now().uptimeNanoseconds
        guard let image = try SystemCall.readFile(logPath) else { return nil }
        var (records, report) = try rewrite(image, path: logPath, repair: repair)

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
        report.milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
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
    ///
    /// Works on record summaries and the image's bytes in place: no quote is decoded into
    /// Strings but the winners', one at a time as they are written, so a million-quote log
    /// upgrades in a few seconds and a few hundred megabytes.
    static func rewrite(_ image: [UInt8], path: String, repair: Bool) throws(LogError) -> ([UInt8], UpgradeReport) {
        let result = image.withUnsafeBytes { raw in
            Result { () throws(LogError) in try rewrite(raw, path: path, repair: repair) }
        }
        return try result.get()
    }

    /// One version-1 id's winning op, and where a put of its quote is in the image.
    private struct Winner {
        var version: OpVersion
        var sequence: UInt64
        /// The offset of a put's quote in the image, or -1 when only deletes were seen.
        var quoteOffset: Int
    }

    private static func rewrite(_ raw: UnsafeRawBufferPointer, path: String, repair: Bool) throws(LogError)
        -> ([UInt8], UpgradeReport) {
        var known: [QuoteID: Winner] = [:]
        var recordCount = 0
        _ = try LogRecovery.scanSummaries(raw, path: path, repair: repair, expecting: { known.reserveCapacity($0) }) { record in
            recordCount += 1
            let version = OpVersion(timestamp: record.timestamp, origin: record.origin, kind: record.kind)
            let quoteOffset = record.kind == .put ? record.quoteOffset : -1
            guard var winner = known[record.id] else {
                known[record.id] = Winner(version: version, sequence: record.sequence, quoteOffset: quoteOffset)
                return
            }
            // Every put of a version-1 id carries the same quote: any one locates it.
            if winner.quoteOffset < 0 { winner.quoteOffset = quoteOffset }
            if version > winner.version {
                winner.version = version
                winner.sequence = record.sequence
            }
            known[record.id] = winner
        }

        // Version-1 ids grouped under their version-2 id; the best of each group stands.
        var groups: [QuoteID: (winner: Winner, members: Int)] = [:]
        groups.reserveCapacity(known.count)
        var droppedTombstones = 0
        for winner in known.values {
            guard winner.quoteOffset >= 0 else {
                droppedTombstones += 1
                continue
            }
            let fields = QuoteFields(raw, at: winner.quoteOffset)
            var hasher = SHA256()
            hasher.update(fields.slice(fields.identity))
            let id = QuoteID(bytes: hasher.finalize())
            guard let current = groups[id] else {
                groups[id] = (winner, 1)
                continue
            }
            let better = LogUpgrade.ranks(winner.version, above: current.winner.version)
            groups[id] = (better ? winner : current.winner, current.members + 1)
        }

        // In the order the winning ops had in the old log, numbered densely from 1.
        let ordered = groups.map { (id: $0.key, winner: $0.value.winner, members: $0.value.members) }
            .sorted { $0.winner.sequence < $1.winner.sequence }
        var writer = ByteWriter(capacity: raw.count)
        writer.writeBytes(LogFormat.header)
        var report = UpgradeReport(fromVersion: 1, records: recordCount, liveQuotes: 0, tombstones: 0, merged: 0,
                                   droppedTombstones: droppedTombstones)
        for (index, group) in ordered.enumerated() {
            let sequence = UInt64(index + 1)
            let (timestamp, origin) = (group.winner.version.timestamp, group.winner.version.origin)
            if group.winner.version.kind == .put {
                let fields = QuoteFields(raw, at: group.winner.quoteOffset)
                let encoded = [UInt8](UnsafeRawBufferPointer(rebasing: raw[group.winner.quoteOffset..<fields.end]))
                let op = Op.put(fields.quote(), id: group.id, timestamp: timestamp, origin: origin)
                LogFormat.appendRecord(SequencedOp(sequence: sequence, op: op), encodedQuote: encoded, to: &writer)
                report.liveQuotes += 1
            } else {
                let op = Op.delete(group.id, timestamp: timestamp, origin: origin)
                LogFormat.appendRecord(SequencedOp(sequence: sequence, op: op), to: &writer)
                report.tombstones += 1
            }
            report.merged += group.members - 1
        }
        return (writer.bytes, report)
    }

    /// Whether `candidate` should stand for its version-2 id instead of `current`: a put
    /// beats a delete, then the later op wins.
    static func ranks(_ candidate: OpVersion, above current: OpVersion) -> Bool {
        if (candidate.kind == .put) != (current.kind == .put) { return candidate.kind == .put }
        return candidate > current
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
