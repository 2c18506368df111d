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

    public var description: String {
        switch self {
        case let .notALog(path):
            return "\(path) is not a quote log (wrong magic); refusing to touch it"
        case let .unsupportedVersion(path, version):
            return "\(path) has format version \(version); this build reads version \(LogFormat.version)"
        case let .corrupt(path, offset, reason):
            return "\(path) is corrupt at offset \(offset) (\(reason)) and valid records follow; "
                + "start with --repair to keep every valid record and drop the damage"
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
        guard image.count >= LogFormat.headerBytes, Array(image[0..<8]) == LogFormat.magic else {
            throw .notALog(path: path)
        }
        var reader = ByteReader(image, range: 8..<16)
        let version = (try? reader.readInteger(as: UInt32.self)) ?? 0
        guard version >= 1 && version <= LogFormat.version else { throw .unsupportedVersion(path: path, version: version) }
    }

    /// Scans `image` (header included). Throws `.corrupt` on mid-log damage unless `repair`.
    public static func scan(_ image: [UInt8], path: String, repair: Bool,
                            onRecord: (Record) -> Void) throws(LogError) -> (validEnd: Int, report: RecoveryReport) {
        try checkHeader(image, path: path)
        var report = RecoveryReport()
        var offset = LogFormat.headerBytes
        var nextSequence: UInt64 = 1
        while offset < image.count {
            if let record = decodeRecord(image, at: offset, minimumSequence: nextSequence) {
                onRecord(record)
                report.records += 1
                nextSequence = record.sequenced.sequence + 1
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
            nextSequence = resume.sequenced.sequence
            offset = resume.offset
        }
        return (offset, report)
    }

    static func describeDamage(_ image: [UInt8], at offset: Int) -> String {
        guard offset + LogFormat.recordHeaderBytes <= image.count else { return "a record header cut short" }
        let length = readUInt32(image, offset)
        if length == 0 || Int(length) > LogFormat.maxRecordBytes { return "impossible record length \(length)" }
        if offset + 8 + Int(length) > image.count { return "a record running past the end of the file" }
        return "checksum or content mismatch"
    }

    static func readUInt32(_ image: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(image[offset]) << 24 | UInt32(image[offset + 1]) << 16 | UInt32(image[offset + 2]) << 8 | UInt32(image[offset + 3])
    }

    /// Decodes the record at `offset` if it is whole, valid, and numbered at least
    /// `minimumSequence` (sequence numbers only increase; a repair may leave gaps).
    static func decodeRecord(_ image: [UInt8], at offset: Int, minimumSequence: UInt64) -> Record? {
        guard offset + LogFormat.recordHeaderBytes < image.count else { return nil }
        let length = Int(readUInt32(image, offset))
        guard length >= 1 + 8 + 33, length <= LogFormat.maxRecordBytes,
              offset + LogFormat.recordHeaderBytes + length <= image.count else { return nil }
        let bodyStart = offset + LogFormat.recordHeaderBytes
        guard image[bodyStart] == LogFormat.opRecordType else { return nil }
        let storedCRC = readUInt32(image, offset + 4)
        let crc = image.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart..<(bodyStart + length)])) }
        guard crc == storedCRC else { return nil }
        var reader = ByteReader(image, range: (bodyStart + 1)..<(bodyStart + length))
        guard let sequenced = try? SequencedOp.decode(from: &reader), reader.remaining == 0 else { return nil }
        guard sequenced.sequence >= minimumSequence, sequenced.sequence > 0 else { return nil }
        // The quote starts after type, sequence, kind, timestamp, origin and id.
        let quoteOffset = bodyStart + 1 + 8 + 1 + 8 + 8 + 16
        return Record(offset: offset, size: LogFormat.recordHeaderBytes + length, sequenced: sequenced,
                      quoteOffset: quoteOffset)
    }

    /// The first valid record after `offset`, found by trying every later byte.
    static func findNextRecord(_ image: [UInt8], after offset: Int, minimumSequence: UInt64) -> Record? {
        var candidate = offset + 1
        while candidate + LogFormat.recordHeaderBytes < image.count {
            if let record = decodeRecord(image, at: candidate, minimumSequence: minimumSequence) {
                return record
            }
            candidate += 1
        }
        return nil
    }
}
