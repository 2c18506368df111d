/// A stored quote as a reader sees it: its id, the op that put it there, and the quote.
public struct ArchivedQuote: Hashable, Sendable {
    /// The quote's id.
    public let id: QuoteID
    /// When the winning put was made.
    public let timestamp: HybridTimestamp
    /// The node where the winning put was made.
    public let origin: UInt64
    /// The canonical quote.
    public let quote: Quote

    /// The fewest bytes an archived quote encodes to: id, timestamp, origin, smallest quote.
    static let minimumEncodedBytes = 32 + QuoteFields.minimumEncodedBytes

    /// Creates an archived quote.
    public init(id: QuoteID, timestamp: HybridTimestamp, origin: UInt64, quote: Quote) {
        self.id = id
        self.timestamp = timestamp
        self.origin = origin
        self.quote = quote
    }

    /// Writes `id[16], u64 timestamp, u64 origin, quote`.
    public func encode(into writer: inout ByteWriter) {
        id.encode(into: &writer)
        writer.writeInteger(timestamp.rawValue)
        writer.writeInteger(origin)
        quote.encode(into: &writer)
    }

    /// Reads what `encode(into:)` wrote.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> ArchivedQuote {
        let id = try QuoteID.decode(from: &reader)
        let timestamp = HybridTimestamp(rawValue: try reader.readInteger(as: UInt64.self))
        let origin = try reader.readInteger(as: UInt64.self)
        return ArchivedQuote(id: id, timestamp: timestamp, origin: origin, quote: try Quote.decode(from: &reader))
    }
}
