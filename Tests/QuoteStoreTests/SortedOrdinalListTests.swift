@testable import QuoteCore
@testable import QuoteStore
import Testing

@Suite struct SortedOrdinalListTests {
    static func ascending(_ a: UInt32, _ b: UInt32) -> Bool { a < b }

    @Test(arguments: 0..<4)
    func randomInsertsKeepOrderAcrossChunkSplits(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        var list = SortedOrdinalList()
        var reference: [UInt32] = []
        var unused = Array(UInt32(0)..<20_000)
        unused.shuffle(using: &generator)
        while !unused.isEmpty {
            let size = min(unused.count, [1, 3, 40, 700].randomElement(using: &generator)!)
            let batch = unused.suffix(size).sorted()
            unused.removeLast(size)
            for ordinal in batch { list.insert(ordinal, by: Self.ascending) }
            reference.append(contentsOf: batch)
        }
        reference.sort()
        #expect(list.ordinals == reference)
        #expect(list.count == reference.count)
        #expect(list.chunks.allSatisfy { !$0.isEmpty && $0.count <= SortedOrdinalList.maxChunk })
        #expect(list.chunks.count > 20_000 / SortedOrdinalList.maxChunk)
        #expect(list.lastOfEachChunk == list.chunks.map { $0[$0.count - 1] })
    }

    @Test func appendsAtTheEndFillChunksWhole() {
        var list = SortedOrdinalList()
        for ordinal in UInt32(0)..<3_000 { list.insert(ordinal, by: Self.ascending) }
        list.insert(5_000, by: Self.ascending)
        #expect(list.chunks.map(\.count) == [1_024, 1_024, 953])
        #expect(list.last == 5_000)
    }

    @Test func aListBuiltFromSortedOrdinalsIsCutIntoWholeChunksAndTakesInserts() {
        let sorted = Array(stride(from: UInt32(0), to: 5_000, by: 2))
        var list = sorted.withUnsafeBufferPointer { SortedOrdinalList(sorted: $0) }
        #expect(list.chunks.map(\.count) == [1_024, 1_024, 452])
        #expect(list.ordinals == sorted && list.count == sorted.count && list.last == 4_998)
        list.insert(1, by: Self.ascending)
        list.insert(5_001, by: Self.ascending)
        #expect(list.ordinals == ([0, 1] + sorted.dropFirst() + [5_001]))
        #expect([UInt32]().withUnsafeBufferPointer { SortedOrdinalList(sorted: $0) }.isEmpty)
    }

    @Test func partitionPointAndForEachStartWhereThePredicateTurnsTrue() {
        var list = SortedOrdinalList()
        list.append(contentsOf: stride(from: UInt32(0), to: 10_000, by: 2))
        for threshold: UInt32 in [0, 1, 2, 2_047, 2_048, 9_998, 9_999, 20_000] {
            var seen: [UInt32] = []
            list.forEach(from: list.partitionPoint { $0 >= threshold }) { seen.append($0); return seen.count < 3 }
            let expected = Array(stride(from: UInt32(0), to: 10_000, by: 2).filter { $0 >= threshold }.prefix(3))
            #expect(seen == expected, "threshold \(threshold)")
        }
        #expect(SortedOrdinalList().partitionPoint { _ in true } == .init(chunk: 0, index: 0))
    }
}
