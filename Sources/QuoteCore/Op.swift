/// One change to the archive: put a quote, or delete one by id (a tombstone).
///
/// Every op carries the hybrid timestamp at which it was made and the node that made it.
/// For one id the op with the greatest `(timestamp, origin)` wins, in whatever order ops
/// arrive: this is what lets archives on different hosts converge.
public struct Op: Hashable, Sendable {
    /// What the op does.
    public enum Kind: UInt8, Sendable {
        /// Store a quote.
        case put = 1
        /// Remove a quote; the tombstone is kept so an older put cannot bring it back.
        case delete = 2
    }

    /// What the op does.
    public let kind: Kind
    /// The quote id the op is about.
    public let id: QuoteID
    /// When the op was made, on its origin's hybrid clock.
    public let timestamp: HybridTimestamp
    /// The node id of the archive where the op was made.
    public let origin: UInt64
    /// The canonical quote, for a put; nil for a delete.
    public let quote: Quote?

    /// A put of a canonical quote.
    public static func put(_ quote: Quote, id: QuoteID, timestamp: HybridTimestamp, origin: UInt64) -> Op {
        Op(kind: .put, id: id, timestamp: timestamp, origin: origin, quote: quote)
    }

    /// A delete (tombstone) of an id.
    public static func delete(_ id: QuoteID, timestamp: HybridTimestamp, origin: UInt64) -> Op {
        Op(kind: .delete, id: id, timestamp: timestamp, origin: origin, quote: nil)
    }

    private init(kind: Kind, id: QuoteID, timestamp: HybridTimestamp, origin: UInt64, quote: Quote?) {
        self.kind = kind
        self.id = id
        self.timestamp = timestamp
        self.origin = origin
        self.quote = quote
    }

    /// What last-writer-wins compares this op by.
    public var version: OpVersion { OpVersion(timestamp: timestamp, origin: origin, kind: kind) }

    /// Whether this op wins over `other` for the same id (see `OpVersion`).
    public func supersedes(_ other: Op) -> Bool { version > other.version }

    /// The size of the fields before a put's quote: all of a delete.
    public static let fixedBytes = SequencedOp.Layout.fixedBytes - SequencedOp.Layout.kind

    /// Writes `u8 kind, u64 timestamp, u64 origin, id[16]`, then the quote for a put.
    public func encode(into writer: inout ByteWriter) {
        encodeFixedFields(into: &writer)
        if let quote { quote.encode(into: &writer) }
    }

    /// Writes every field but the quote.
    func encodeFixedFields(into writer: inout ByteWriter) {
        writer.writeInteger(kind.rawValue)
        writer.writeInteger(timestamp.rawValue)
        writer.writeInteger(origin)
        id.encode(into: &writer)
    }

    /// Reads an op written by `encode(into:)`.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> Op {
        let kindOffset = reader.offset
        guard let kind = Kind(rawValue: try reader.readInteger(as: UInt8.self)) else {
            throw .invalidValue(offset: kindOffset, field: "op kind")
        }
        let timestamp = HybridTimestamp(rawValue: try reader.readInteger(as: UInt64.self))
        let origin = try reader.readInteger(as: UInt64.self)
        let id = try QuoteID.decode(from: &reader)
        switch kind {
        case .put:
            return .put(try Quote.decode(from: &reader), id: id, timestamp: timestamp, origin: origin)
        case .delete:
            return .delete(id, timestamp: timestamp, origin: origin)
        }
    }
}
