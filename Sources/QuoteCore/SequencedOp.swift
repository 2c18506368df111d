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

    /// Writes `u64 sequence`, then the op.
    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(sequence)
        op.encode(into: &writer)
    }

    /// Reads what `encode(into:)` wrote.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> SequencedOp {
        let sequence = try reader.readInteger(as: UInt64.self)
        return SequencedOp(sequence: sequence, op: try Op.decode(from: &reader))
    }
}
