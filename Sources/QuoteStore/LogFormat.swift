import QuoteCore

/// The constants and record framing of `quotes.log` (Protocol/STORAGE.md).
///
/// A record is `[u32 length][u32 CRC32C][u8 type][payload]`; `length` counts type and
/// payload, so it is at least 1 and an all-zero header (which a zero-filled tail reads as)
/// is never valid.
public enum LogFormat {
    /// The file's first eight bytes.
    public static let magic: [UInt8] = Array("QUOTELOG".utf8)
    /// The format version this code writes and reads. Version 1 (ids hashed every field) is
    /// read only to be upgraded (`LogUpgrade`).
    public static let version: UInt32 = 2
    /// Magic, version, flags.
    public static let headerBytes = 16
    /// Length and CRC.
    public static let recordHeaderBytes = 8
    /// The largest `length` a record may declare; a quote is far smaller, so anything
    /// bigger is damage, not data.
    public static let maxRecordBytes = 16 << 20
    /// Record type: an op, with its sequence number.
    public static let opRecordType: UInt8 = 1

    /// The file header for a new log.
    public static var header: [UInt8] {
        var writer = ByteWriter(capacity: headerBytes)
        writer.writeBytes(magic)
        writer.writeInteger(version)
        writer.writeInteger(UInt32(0))
        return writer.bytes
    }

    /// Appends one op record to `writer`.
    /// `encodedQuote`, when given, is the put's quote already encoded: copied, not re-encoded.
    public static func appendRecord(_ sequenced: SequencedOp, encodedQuote: [UInt8]? = nil, to writer: inout ByteWriter) {
        let start = writer.count
        writer.writeInteger(UInt32(0))
        writer.writeInteger(UInt32(0))
        writer.writeInteger(opRecordType)
        if let encodedQuote, sequenced.op.kind == .put {
            sequenced.encode(into: &writer, encodedQuote: encodedQuote)
        } else {
            sequenced.encode(into: &writer)
        }
        let length = writer.count - start - recordHeaderBytes
        writer.setInteger(UInt32(length), at: start)
        let crc = writer.bytes.withUnsafeBytes { all in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[(start + recordHeaderBytes)...]))
        }
        writer.setInteger(crc, at: start + 4)
    }
}
