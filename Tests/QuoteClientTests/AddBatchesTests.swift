import QuoteClient
import QuoteCore
import Testing

@Suite struct AddBatchesTests {
    static func quote(textBytes: Int) -> Quote {
        Quote(text: String(repeating: "x", count: textBytes), speaker: "s")
    }

    @Test func splitsByCount() {
        let quotes = (0..<25).map { _ in AddBatchesTests.quote(textBytes: 10) }
        #expect(AddBatches.ranges(for: quotes, maxQuotes: 10, maxPayloadBytes: 1 << 20) == [0..<10, 10..<20, 20..<25])
    }

    @Test func splitsByBytes() {
        let size = AddBatches.encodedBytes(AddBatchesTests.quote(textBytes: 100))
        #expect(size == 4 + 100 + 4 + 1 + 4 + 4 + 4 + 4)
        let quotes = (0..<5).map { _ in AddBatchesTests.quote(textBytes: 100) }
        #expect(AddBatches.ranges(for: quotes, maxQuotes: 1000, maxPayloadBytes: 2 * size) == [0..<2, 2..<4, 4..<5])
    }

    @Test func anOversizedQuoteGetsABatchOfItsOwn() {
        let quotes = [10, 5000, 10].map { AddBatchesTests.quote(textBytes: $0) }
        #expect(AddBatches.ranges(for: quotes, maxQuotes: 1000, maxPayloadBytes: 1000) == [0..<1, 1..<2, 2..<3])
        #expect(AddBatches.ranges(for: [], maxQuotes: 1000, maxPayloadBytes: 1000).isEmpty)
    }
}
