import QuoteCore

/// Splits quotes into ADD batches a server accepts: at most `maxQuotes` quotes and at most
/// `maxPayloadBytes` bytes of encoded quotes each.
///
/// The byte bound matters because a server closes the connection on a frame above its
/// `maxFrameBytes` (HELLO_OK says how much): a thousand short fortunes fit in 200 KB, a
/// thousand long speeches do not fit in a 1 MiB frame.
public enum AddBatches {
    /// Room left in a frame for the header and the batch count.
    public static let frameOverheadBytes = 256

    /// Consecutive index ranges covering `quotes`; a quote too large for any batch still gets
    /// one of its own, so the server can say why it refuses it.
    public static func ranges(for quotes: [Quote], maxQuotes: Int, maxPayloadBytes: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, quote) in quotes.enumerated() {
            let size = encodedBytes(quote)
            if index > start && (index - start >= maxQuotes || bytes + size > maxPayloadBytes) {
                ranges.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < quotes.count { ranges.append(start..<quotes.count) }
        return ranges
    }

    /// The bytes `quote` takes in an ADD payload.
    public static func encodedBytes(_ quote: Quote) -> Int {
        var writer = ByteWriter(capacity: 64 + quote.text.utf8.count)
        quote.encode(into: &writer)
        return writer.count
    }
}
