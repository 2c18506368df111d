import QuoteCore

/// One record of `quotes.log`, read in place from a log image: the one reader of the
/// record layout (STORAGE.md §2).
///
/// ```
/// record  = u32 length ‖ u32 crc ‖ u8 type ‖ payload        (8 + length bytes)
/// payload = SequencedOp (type 1)
/// ```
///
/// The accessors read at fixed offsets from `start` and trust that the record's bytes are
/// in the image: `LogRecovery.validate` checks that (and the checksum and every field)
/// before anything else reads a record.
struct LogRecord {
    /// Offsets of the header's fields from the record's first byte.
    enum Offset {
        static let length = 0
        static let checksum = 4
        static let type = LogFormat.recordHeaderBytes
        /// Where the payload, a sequenced op as the wire encodes it, starts.
        static let payload = type + 1
    }

    /// The smallest `length`: the type byte and a delete.
    static let minimumLength = 1 + SequencedOp.Layout.fixedBytes

    let image: UnsafeRawBufferPointer
    /// Where the record's header starts in the image.
    let start: Int

    /// Reads the record at `start`; at least its header must be in the image.
    init(_ image: UnsafeRawBufferPointer, at start: Int) {
        self.image = image
        self.start = start
    }

    private func integer<T: FixedWidthInteger>(at offset: Int, as: T.Type) -> T {
        T(bigEndian: image.loadUnaligned(fromByteOffset: start + offset, as: T.self))
    }

    /// The `length` field: the bytes of type and payload.
    var length: Int { Int(integer(at: Offset.length, as: UInt32.self)) }
    /// The whole record's size, header included.
    var size: Int { LogFormat.recordHeaderBytes + length }
    /// The stored CRC-32C of type and payload.
    var storedChecksum: UInt32 { integer(at: Offset.checksum, as: UInt32.self) }
    /// What the checksum covers: type and payload.
    var checkedBytes: Range<Int> { (start + Offset.type)..<(start + size) }
    /// The payload: the op's wire encoding, which CHANGES copies as it is.
    var payload: Range<Int> { (start + Offset.payload)..<(start + size) }
    var type: UInt8 { image[start + Offset.type] }
    var sequence: UInt64 { integer(at: Offset.payload + SequencedOp.Layout.sequence, as: UInt64.self) }
    /// The op's kind, nil for a byte that names none.
    var kind: Op.Kind? { Op.Kind(rawValue: image[start + Offset.payload + SequencedOp.Layout.kind]) }
    var timestamp: HybridTimestamp {
        HybridTimestamp(rawValue: integer(at: Offset.payload + SequencedOp.Layout.timestamp, as: UInt64.self))
    }
    var origin: UInt64 { integer(at: Offset.payload + SequencedOp.Layout.origin, as: UInt64.self) }
    var id: QuoteID {
        QuoteID(high: integer(at: Offset.payload + SequencedOp.Layout.id, as: UInt64.self),
                low: integer(at: Offset.payload + SequencedOp.Layout.id + 8, as: UInt64.self))
    }
    /// Where a put's quote starts in the image.
    var quoteStart: Int { start + Offset.payload + SequencedOp.Layout.quote }
}
