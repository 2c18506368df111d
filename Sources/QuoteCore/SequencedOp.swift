/// An op with the local sequence number the serving archive gave it, as CHANGES sends it.
public struct SequencedOp: Hashable, Sendable {
    /// The position of the op in the serving archive's log, from 1.
    public var sequence: UInt64
    /// The op.
    public var op: Op

    /// Creates a sequenced op.
    public init(sequence: UInt64, op: Op) {
        self.sequence = sequence
        self.op = op
    }

    /// Where each field of an encoded sequenced op starts (PROTOCOL.md "SequencedOp"). A
    /// log record's payload is these same bytes (STORAGE.md §2), so the store reads records
    /// by these offsets too.
    public enum Layout {
        public static let sequence = 0
        public static let kind = 8
        public static let timestamp = 9
        public static let origin = 17
        public static let id = 25
        /// Where a put's quote starts: the bytes before it are the whole of a delete.
        public static let quote = 41
        /// The size of a delete, the smallest op.
        public static let fixedBytes = quote
    }

    /// Writes `u64 sequence`, then the op.
    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(sequence)
        op.encode(into: &writer)
    }

    /// Writes `u64 sequence`, then the op with `encodedQuote` (a put's quote already
    /// encoded) in place of encoding its quote again.
    public func encode(into writer: inout ByteWriter, encodedQuote: [UInt8]) {
        writer.writeInteger(sequence)
        op.encodeFixedFields(into: &writer)
        writer.writeBytes(encodedQuote)
    }

    /// Reads what `encode(into:)` wrote.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> SequencedOp {
        let sequence = try reader.readInteger(as: UInt64.self)
        return SequencedOp(sequence: sequence, op: try Op.decode(from: &reader))
    }
}
