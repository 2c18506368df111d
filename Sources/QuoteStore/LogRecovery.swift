import CQuoteSupport
import Dispatch
import QuoteCore

/// What opening a log found: how far the good records reach and what was cut or skipped.
public struct RecoveryReport: Equatable, Sendable, CustomStringConvertible {
    /// Whole, valid records read.
    public var records: Int = 0
    /// Where a torn or corrupt tail started, if one was cut.
    public var truncatedAt: Int?
    /// How many bytes the cut tail held.
    public var truncatedBytes: Int = 0
    /// Spans skipped by a repair, as (offset, byte count).
    public var skippedSpans: [SkippedSpan] = []

    /// A damaged span a repair dropped.
    public struct SkippedSpan: Equatable, Sendable {
        /// Where the span starts in the file.
        public var offset: Int
        /// Its length.
        public var bytes: Int
    }

    public var description: String {
        var parts = ["\(records) records"]
        if let truncatedAt { parts.append("cut a torn tail of \(truncatedBytes) bytes at offset \(truncatedAt)") }
        for span in skippedSpans { parts.append("repair dropped \(span.bytes) bytes at offset \(span.offset)") }
        return parts.joined(separator: "; ")
    }
}

/// Why a log cannot be opened.
public enum LogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with `QUOTELOG`: not ours, and never overwritten.
    case notALog(path: String)
    /// The file was written by a newer format version.
    case unsupportedVersion(path: String, version: UInt32)
    /// A damaged record is followed by valid ones: refusing to drop acknowledged data.
    case corrupt(path: String, offset: Int, reason: String)
    /// The log is empty (zero bytes) in a directory that has held an archive: emptied or cut
    /// outside the server, not new.
    case emptied(path: String, evidence: String)

    public var description: String {
        switch self {
        case let .notALog(path):
            return "\(path) is not a quote log (wrong magic); refusing to touch it"
        case let .unsupportedVersion(path, version):
            return "\(path) has format version \(version); this build reads version \(LogFormat.version)"
        case let .corrupt(path, offset, reason):
            return "\(path) is corrupt at offset \(offset) (\(reason)) and valid records follow; "
                + "start with --repair to keep every valid record and drop the damage"
        case let .emptied(path, evidence):
            return "\(path) is empty (0 bytes), but this data directory has held an archive (\(evidence)): "
                + "the log was emptied or cut outside quoted, and opening it would serve an empty archive. "
                + "Restore the log from a backup; to start this directory afresh on purpose, remove \(evidence) too"
        }
    }
}

/// Reads the records of a log image and decides where the valid data ends.
///
/// Pure: works on bytes in memory, so tests can cut and flip them freely.
public struct LogRecovery {
    /// One valid record: where it is and what it holds.
    public struct Record {
        /// The offset of its header in the file.
        public var offset: Int
        /// Its total size, header included.
        public var size: Int
        /// The op and its sequence number.
        public var sequenced: SequencedOp
        /// Where the quote's encoding starts, for a put (offset in the image).
        public var quoteOffset: Int
    }

    /// Checks the header of a log image.
    public static func checkHeader(_ image: [UInt8], path: String) throws(LogError) {
        try image.withUnsafeBytes { raw in Result { () throws(LogError) in try checkHeader(raw, path: path) } }.get()
    }

    /// What recovery needs of one valid record, read without building the quote's Strings.
    public struct RecordSummary {
        /// The offset of its header in the file.
        public var offset: Int
        /// Its total size, header included.
        public var size: Int
        /// Its sequence number.
        public var sequence: UInt64
        /// The op's kind, timestamp, origin and id.
        public var kind: Op.Kind
        public var timestamp: HybridTimestamp
        public var origin: UInt64
        public var id: QuoteID
        /// Where the quote's encoding starts, for a put (offset in the image).
        public var quoteOffset: Int

        init(_ record: LogRecord, kind: Op.Kind) {
            self.init(offset: record.start, size: record.size, sequence: record.sequence, kind: kind,
                      timestamp: record.timestamp, origin: record.origin, id: record.id, quoteOffset: record.quoteStart)
        }

        /// Creates a summary.
        public init(offset: Int, size: Int, sequence: UInt64, kind: Op.Kind, timestamp: HybridTimestamp,
                    origin: UInt64, id: QuoteID, quoteOffset: Int) {
            self.offset = offset
            self.size = size
            self.sequence = sequence
            self.kind = kind
            self.timestamp = timestamp
            self.origin = origin
            self.id = id
            self.quoteOffset = quoteOffset
        }
    }

    /// Scans `image` (header included). Throws `.corrupt` on mid-log damage unless `repair`.
    public static func scan(_ image: [UInt8], path: String, repair: Bool,
                            onRecord: (Record) -> Void) throws(LogError) -> (validEnd: Int, report: RecoveryReport) {
        let result = image.withUnsafeBytes { raw in
            Result { () throws(LogError) in
                try scanSummaries(raw, path: path, repair: repair) { summary in
                    var reader = ByteReader(image, range: (summary.offset + LogRecord.Offset.payload)..<(summary.offset + summary.size))
                    // `validate` accepted exactly what this decoder accepts.
                    let sequenced = try! SequencedOp.decode(from: &reader)
                    onRecord(Record(offset: summary.offset, size: summary.size, sequenced: sequenced, quoteOffset: summary.quoteOffset))
                }
            }
        }
        return try result.get()
    }

    /// Scans `image` like `scan`, handing over each valid record's summary: the checks are
    /// the same (checksum, every field length, UTF-8, dates), but no String is built.
    /// `expecting` hears first how many records the log seems to hold, to size tables once.
    /// `upcoming` hears the id of a record a few ahead of the one handed over, so the caller
    /// can start loading what it will look up for it.
    public static func scanSummaries(_ image: UnsafeRawBufferPointer, path: String, repair: Bool,
                                     expecting: (Int) -> Void = { _ in },
                                     upcoming: (QuoteID) -> Void = { _ in },
                                     onRecord: (RecordSummary) -> Void) throws(LogError) -> (validEnd: Int, report: RecoveryReport) {
        try checkHeader(image, path: path)
        var report = RecoveryReport()
        var offset = LogFormat.headerBytes
        var nextSequence: UInt64 = 1
        // Checksums and field checks are most of the work and independent per record, so
        // they run on two cores over where the records would start if all are whole; the
        // loop below trusts a verdict only at the offset it was made for.
        let (candidates, verdicts) = checkedStarts(image)
        expecting(candidates.count)
        let lookahead = 8
        var candidate = 0
        while offset < image.count {
            while candidate < candidates.count && candidates[candidate] < offset { candidate += 1 }
            if candidate < candidates.count && candidates[candidate] == offset {
                // The headers are far apart in a log bigger than the cache: load one well
                // ahead, and hand over the id of one nearer, whose header is loaded by now.
                if candidate + 2 * lookahead < candidates.count {
                    cqs_prefetch(image.baseAddress! + candidates[candidate + 2 * lookahead])
                }
                if candidate + lookahead < candidates.count {
                    upcoming(LogRecord(image, at: candidates[candidate + lookahead]).id)
                }
                let verdict = verdicts[candidate]
                candidate += 1
                if verdict, let record = summary(image, at: offset, minimumSequence: nextSequence) {
                    onRecord(record)
                    report.records += 1
                    nextSequence = record.sequence + 1
                    offset += record.size
                    continue
                }
            }
            if let record = validate(image, at: offset, minimumSequence: nextSequence) {
                onRecord(record)
                report.records += 1
                nextSequence = record.sequence + 1
                offset += record.size
                continue
            }
            // Damage at `offset`: a torn tail if nothing valid follows, corruption otherwise.
            guard let resume = findNextRecord(image, after: offset, minimumSequence: nextSequence) else {
                report.truncatedAt = offset
                report.truncatedBytes = image.count - offset
                return (offset, report)
            }
            guard repair else {
                throw .corrupt(path: path, offset: offset, reason: describeDamage(image, at: offset))
            }
            report.skippedSpans.append(.init(offset: offset, bytes: resume.offset - offset))
            nextSequence = resume.sequence
            offset = resume.offset
        }
        return (offset, report)
    }

    static func checkHeader(_ image: UnsafeRawBufferPointer, path: String) throws(LogError) {
        guard image.count >= LogFormat.headerBytes, image.prefix(8).elementsEqual(LogFormat.magic) else {
            throw .notALog(path: path)
        }
        let version = RawByteReader(image).integer(at: LogFormat.magic.count, as: UInt32.self)
        guard version >= 1 && version <= LogFormat.version else { throw .unsupportedVersion(path: path, version: version) }
    }

    /// Where each record starts if every record is whole (the headers' length chain), and
    /// whether each passes `validate`, sequence numbers aside.
    ///
    /// Two threads take half the image each, checking records while their bytes are in
    /// cache: the second finds its first record by trying offsets from the middle on and
    /// follows the chain from there. If the first half's chain does not land exactly on that
    /// record (damage, or a false start), the second half's work is dropped and the first
    /// thread follows its chain on to the end.
    static func checkedStarts(_ image: UnsafeRawBufferPointer) -> (starts: [Int], verdicts: [Bool]) {
        var starts: [Int] = []
        var verdicts: [Bool] = []
        starts.reserveCapacity(image.count / 256)
        verdicts.reserveCapacity(image.count / 256)
        let middle = image.count / 2
        guard image.count >= 1 << 20 else {
            followChain(image, from: LogFormat.headerBytes, below: image.count, &starts, &verdicts)
            return (starts, verdicts)
        }
        let shared = UncheckedBytes(bytes: image)
        let later = UncheckedChain()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            var first = middle
            while first + LogFormat.recordHeaderBytes < shared.bytes.count,
                  validate(shared.bytes, at: first, minimumSequence: 0) == nil {
                first += 1
            }
            later.first = first
            later.starts.reserveCapacity(shared.bytes.count / 512)
            later.verdicts.reserveCapacity(shared.bytes.count / 512)
            followChain(shared.bytes, from: first, below: shared.bytes.count, &later.starts, &later.verdicts)
            done.signal()
        }
        let end = followChain(image, from: LogFormat.headerBytes, below: middle, &starts, &verdicts)
        done.wait()
        if end == later.first {
            starts.append(contentsOf: later.starts)
            verdicts.append(contentsOf: later.verdicts)
        } else {
            followChain(image, from: end, below: image.count, &starts, &verdicts)
        }
        return (starts, verdicts)
    }

    /// Follows the length chain from `offset` while records start below `end`, noting each
    /// start and its verdict; returns where it stopped: the first start at or past `end`,
    /// or where a length could not be a record's.
    @discardableResult
    private static func followChain(_ image: UnsafeRawBufferPointer, from start: Int, below end: Int,
                                    _ starts: inout [Int], _ verdicts: inout [Bool]) -> Int {
        var offset = start
        while offset < end && offset + LogFormat.recordHeaderBytes < image.count {
            let length = LogRecord(image, at: offset).length
            guard length >= LogRecord.minimumLength, length <= LogFormat.maxRecordBytes,
                  offset + LogFormat.recordHeaderBytes + length <= image.count else { break }
            starts.append(offset)
            verdicts.append(validate(image, at: offset, minimumSequence: 0) != nil)
            offset += LogFormat.recordHeaderBytes + length
        }
        return offset
    }

    /// The summary of a record `validate` already accepted, checking only its sequence number.
    static func summary(_ image: UnsafeRawBufferPointer, at offset: Int, minimumSequence: UInt64) -> RecordSummary? {
        let record = LogRecord(image, at: offset)
        let sequence = record.sequence
        // `UInt64.max` is refused: no record could follow it, nor could the archive append.
        guard sequence >= minimumSequence, sequence > 0, sequence < .max else { return nil }
        return RecordSummary(record, kind: record.kind!)
    }

    static func describeDamage(_ image: UnsafeRawBufferPointer, at offset: Int) -> String {
        guard offset + LogFormat.recordHeaderBytes <= image.count else { return "a record header cut short" }
        let length = LogRecord(image, at: offset).length
        if length == 0 || Int(length) > LogFormat.maxRecordBytes { return "impossible record length \(length)" }
        if offset + 8 + Int(length) > image.count { return "a record running past the end of the file" }
        return "checksum or content mismatch"
    }

    /// Summarizes the record at `offset` if it is whole, valid, and numbered at least
    /// `minimumSequence` (sequence numbers only increase; a repair may leave gaps).
    ///
    /// Valid means what `SequencedOp.decode` would accept with nothing left over: the same
    /// length limits, UTF-8 in every string, a real date, a known kind.
    static func validate(_ image: UnsafeRawBufferPointer, at offset: Int, minimumSequence: UInt64) -> RecordSummary? {
        guard offset + LogFormat.recordHeaderBytes < image.count else { return nil }
        let record = LogRecord(image, at: offset)
        let length = record.length
        guard length >= LogRecord.minimumLength, length <= LogFormat.maxRecordBytes,
              offset + record.size <= image.count else { return nil }
        guard record.type == LogFormat.opRecordType else { return nil }
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: image[record.checkedBytes])) == record.storedChecksum else {
            return nil
        }
        guard let kind = record.kind else { return nil }
        switch kind {
        case .delete:
            guard record.quoteStart == record.payload.upperBound else { return nil }
        case .put:
            // Exactly what `Quote.decode` accepts, filling the record exactly.
            var reader = RawByteReader(image, range: record.quoteStart..<record.payload.upperBound)
            guard (try? QuoteFields(validating: &reader)) != nil, reader.remaining == 0 else { return nil }
        }
        // `UInt64.max` is refused: no record could follow it, nor could the archive append.
        let sequence = record.sequence
        guard sequence >= minimumSequence, sequence > 0, sequence < .max else { return nil }
        return RecordSummary(record, kind: kind)
    }

    /// The first valid record after `offset`, found by trying every later byte.
    static func findNextRecord(_ image: UnsafeRawBufferPointer, after offset: Int, minimumSequence: UInt64) -> RecordSummary? {
        var candidate = offset + 1
        while candidate + LogFormat.recordHeaderBytes < image.count {
            if let record = validate(image, at: candidate, minimumSequence: minimumSequence) {
                return record
            }
            candidate += 1
        }
        return nil
    }
}

/// The log image, read by two threads at once while it does not change.
private struct UncheckedBytes: @unchecked Sendable {
    // @unchecked: the image is only read until both threads are done.
    let bytes: UnsafeRawBufferPointer
}

/// The second half's chain, written by its thread and read after it signals.
private final class UncheckedChain: @unchecked Sendable {
    // @unchecked: written only by the worker, read only after the semaphore orders it.
    var first = -1
    var starts: [Int] = []
    var verdicts: [Bool] = []
}
