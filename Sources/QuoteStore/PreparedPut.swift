import QuoteCore

/// A put's quote made ready before it reaches the archive's single writer: its canonical
/// encoding, which its id hashes, the log stores and the arena keeps.
///
/// The id's hash needs the encoding anyway; keeping it spares the writer, the one thread
/// every ADD and every replicated op passes through, from encoding each quote twice more.
/// (Folding the text into words here as well was tried: on two cores the extra arrays cost
/// more than the writer saved.)
struct PreparedPut: Sendable {
    let quote: Quote
    let id: QuoteID
    let encoded: [UInt8]

    /// Prepares `quote`, which must already be canonical.
    init(canonical quote: Quote) {
        var writer = ByteWriter(capacity: 64 + quote.text.utf8.count)
        quote.encode(into: &writer)
        self.quote = quote
        encoded = writer.bytes
        id = Quote.id(ofEncoded: encoded)
    }
}
