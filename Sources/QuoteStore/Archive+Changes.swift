import QuoteCore

// CHANGES: pages of the log itself, read back with one pread and checked record by record,
// for replication and export. Reads only: the log is append-only, and a page covers
// records the state already lists.
extension Archive {
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
}
