import QuoteCore
import QuoteStore

/// Target `recovery`: opening a damaged log, in memory.
///
/// The first data byte holds options: bit 0 keeps the data as the whole image (so the
/// header check is fuzzed too) instead of putting a valid header before it; bit 1 rewrites
/// the CRC of every record the data frames, so the fuzzer gets past the checksum to the
/// sequence and op checks. The image is scanned without repair, then with it:
///
/// - without repair, either `.corrupt` or the valid records and a torn tail that ends the
///   image exactly; scanning the image cut at the valid end finds the same records and no
///   damage (the truncation recovery performs is final);
/// - with repair, never `.corrupt`; on a log the plain scan opened it changes nothing, and
///   the header followed by every kept record (what `Archive` rewrites) scans clean;
/// - in both, records are whole, at least 42 bytes of body, and strictly increasing in
///   offset and sequence number;
/// - recovery agrees with a reference reader built from STORAGE.md and the public decoders
///   (`SequencedOp.decode`): every record it keeps is one the reference accepts, and at
///   every offset where it saw damage the reference sees damage too. Recovery has its own
///   fast validator; a record it wrongly refused would be acknowledged data cut away.
enum RecoveryFuzzing {
    static func run(_ data: [UInt8]) {
        guard let options = data.first else { return }
        var image = options & 1 == 1 ? Array(data.dropFirst()) : LogFormat.header + data.dropFirst()
        if options & 2 == 2 { fixChecksums(&image) }

        let plain = scan(image, repair: false)
        let repaired = scan(image, repair: true)
        switch (plain, repaired) {
        case (.notALog, .notALog):
            return
        case (.notALog, _), (_, .notALog):
            fatalError("invariant broken: header accepted by one scan and not the other")
        case (_, .corrupt):
            fatalError("invariant broken: a repair scan reported corruption")
        case let (.corrupt(offset), .scanned(kept, _, report)):
            invariant(!report.skippedSpans.isEmpty, "corrupt without repair, yet the repair skipped nothing")
            invariant(report.skippedSpans[0].offset == offset, "repair skipped elsewhere than the corruption")
            checkRewrite(image, kept)
        case let (.scanned(records, validEnd, report), .scanned(kept, keptEnd, repairReport)):
            invariant(report.skippedSpans.isEmpty, "a plain scan skipped spans")
            invariant(repairReport.skippedSpans.isEmpty && kept.map(\.offset) == records.map(\.offset) && keptEnd == validEnd,
                      "repair changed a log that needed none")
            if let truncatedAt = report.truncatedAt {
                invariant(truncatedAt == validEnd && report.truncatedBytes == image.count - validEnd, "torn tail misreported")
            } else {
                invariant(validEnd == image.count, "no torn tail reported but the valid data ends early")
            }
            let cut = scan(Array(image[0..<validEnd]), repair: false)
            guard case let .scanned(again, againEnd, againReport) = cut else {
                fatalError("invariant broken: the log cut at its valid end does not open")
            }
            invariant(again.map(\.offset) == records.map(\.offset) && againEnd == validEnd && againReport.truncatedAt == nil,
                      "the log cut at its valid end is not clean")
            checkRewrite(image, kept)
        }
    }

    enum Outcome {
        case notALog
        case corrupt(offset: Int)
        case scanned(records: [Kept], validEnd: Int, report: RecoveryReport)
    }

    struct Kept {
        var offset: Int
        var size: Int
        var sequence: UInt64
    }

    static func scan(_ image: [UInt8], repair: Bool) -> Outcome {
        var kept: [Kept] = []
        let result: (validEnd: Int, report: RecoveryReport)
        do throws(LogError) {
            result = try LogRecovery.scan(image, path: "fuzz.log", repair: repair) { record in
                kept.append(Kept(offset: record.offset, size: record.size, sequence: record.sequenced.sequence))
                let op = record.sequenced.op
                invariant(record.size >= LogFormat.recordHeaderBytes + 42, "a record under 42 bytes was accepted")
                invariant(record.offset + record.size <= image.count, "a record runs past the image")
                if op.kind == .put {
                    // The quote the archive will read in place must be where the record says.
                    var reader = ByteReader(image, range: record.quoteOffset..<(record.offset + record.size))
                    let quote = try? Quote.decode(from: &reader)
                    invariant(quote == op.quote && reader.remaining == 0, "quoteOffset does not point at the quote")
                }
            }
        } catch {
            switch error {
            case .notALog, .unsupportedVersion:
                return .notALog
            case let .corrupt(_, offset, _):
                invariant(!repair, "repair threw corrupt")
                return .corrupt(offset: offset)
            case .emptied:
                // Decided from the data directory before the log is scanned, never here.
                invariant(false, "scanning an image threw emptied")
                return .notALog
            }
        }
        invariant(result.report.records == kept.count, "the report counts \(result.report.records) records, \(kept.count) were seen")
        var damage = result.report.skippedSpans.map(\.offset)
        if let truncatedAt = result.report.truncatedAt { damage.append(truncatedAt) }
        for offset in damage {
            let previous = kept.last { $0.offset < offset }
            invariant(!referenceAccepts(image, at: offset, minimumSequence: (previous?.sequence ?? 0) + 1),
                      "recovery saw damage at \(offset) where the reference reads a valid record")
        }
        for (index, record) in kept.enumerated() {
            let minimum = index == 0 ? 1 : kept[index - 1].sequence + 1
            invariant(referenceAccepts(image, at: record.offset, minimumSequence: minimum),
                      "recovery kept a record at \(record.offset) that the reference refuses")
        }
        invariant(result.validEnd >= LogFormat.headerBytes && result.validEnd <= image.count, "valid end outside the image")
        for (index, record) in kept.enumerated() where index > 0 {
            invariant(record.offset >= kept[index - 1].offset + kept[index - 1].size, "records overlap or go backwards")
            invariant(record.sequence > kept[index - 1].sequence, "sequence numbers do not increase")
        }
        return .scanned(records: kept, validEnd: result.validEnd, report: result.report)
    }

    /// Whether the record at `offset` is valid by STORAGE.md §5, read with the public
    /// decoders: whole, length 42 to 16 MiB, type 1, CRC-32C, a sequenced op consuming the
    /// body exactly, a sequence number from `minimumSequence` up (and below `UInt64.max`,
    /// which nothing could follow).
    static func referenceAccepts(_ image: [UInt8], at offset: Int, minimumSequence: UInt64) -> Bool {
        guard offset + LogFormat.recordHeaderBytes < image.count else { return false }
        let length = Int(image[offset]) << 24 | Int(image[offset + 1]) << 16 | Int(image[offset + 2]) << 8 | Int(image[offset + 3])
        let bodyStart = offset + LogFormat.recordHeaderBytes
        guard length >= 42, length <= LogFormat.maxRecordBytes, bodyStart + length <= image.count,
              image[bodyStart] == LogFormat.opRecordType else { return false }
        var crcReader = ByteReader(image, range: (offset + 4)..<bodyStart)
        let stored = try? crcReader.readInteger(as: UInt32.self)
        let crc = image.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart..<(bodyStart + length)])) }
        guard stored == crc else { return false }
        var reader = ByteReader(image, range: (bodyStart + 1)..<(bodyStart + length))
        guard let sequenced = try? SequencedOp.decode(from: &reader), reader.remaining == 0 else { return false }
        return sequenced.sequence >= minimumSequence && sequenced.sequence > 0 && sequenced.sequence < .max
    }

    /// The repaired log as `Archive` rewrites it must scan clean with the same records.
    static func checkRewrite(_ image: [UInt8], _ kept: [Kept]) {
        var rewritten = LogFormat.header
        for record in kept { rewritten += image[record.offset..<(record.offset + record.size)] }
        guard case let .scanned(records, validEnd, report) = scan(rewritten, repair: false) else {
            fatalError("invariant broken: a rewritten repaired log does not open")
        }
        invariant(report.truncatedAt == nil && report.skippedSpans.isEmpty && validEnd == rewritten.count,
                  "a rewritten repaired log is not clean: \(report)")
        invariant(records.map(\.sequence) == kept.map(\.sequence), "a rewritten repaired log lost records")
    }

    /// Walks the records the bytes frame (from the header on) and gives each a correct CRC.
    static func fixChecksums(_ image: inout [UInt8]) {
        var offset = LogFormat.headerBytes
        while offset + LogFormat.recordHeaderBytes <= image.count {
            let length = Int(image[offset]) << 24 | Int(image[offset + 1]) << 16 | Int(image[offset + 2]) << 8 | Int(image[offset + 3])
            let bodyStart = offset + LogFormat.recordHeaderBytes
            guard length >= 1, bodyStart + length <= image.count else { return }
            let crc = image.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart..<(bodyStart + length)])) }
            image[offset + 4] = UInt8(truncatingIfNeeded: crc >> 24)
            image[offset + 5] = UInt8(truncatingIfNeeded: crc >> 16)
            image[offset + 6] = UInt8(truncatingIfNeeded: crc >> 8)
            image[offset + 7] = UInt8(truncatingIfNeeded: crc)
            offset = bodyStart + length
        }
    }
}
