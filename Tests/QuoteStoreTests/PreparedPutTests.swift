@testable import QuoteCore
@testable import QuoteStore
import Testing

/// A quote prepared off the writer must be stored exactly as if the writer had encoded it.
@Suite struct PreparedPutTests {
    static let quotes = [
        Quote(text: "Quelqu'un est entré chez nous, MAISON comprise", speaker: "Mark Chen", date: try! QuoteDate(parsing: "2025-06"),
              source: "Wired", lang: "fr", tags: ["meta", "recrutement"]),
        Quote(text: "x", speaker: "S"),
        Quote(text: "Line one\nline two — «quoted» 語", speaker: "Łukasz Żółć", tags: ["a"]),
    ]

    @Test(arguments: quotes)
    func encodingIDAndRecordMatchTheWritersOwn(quote: Quote) throws {
        let canonical = try quote.canonicalized()
        let prepared = PreparedPut(canonical: canonical)
        var writer = ByteWriter()
        canonical.encode(into: &writer)
        #expect(prepared.encoded == writer.bytes)
        #expect(prepared.id == canonical.id)

        let op = SequencedOp(sequence: 42, op: .put(canonical, id: prepared.id, timestamp: HybridTimestamp(rawValue: 7 << 16), origin: 9))
        var plain = ByteWriter()
        LogFormat.appendRecord(op, to: &plain)
        var copied = ByteWriter()
        LogFormat.appendRecord(op, encodedQuote: prepared.encoded, to: &copied)
        #expect(plain.bytes == copied.bytes)
    }
}
