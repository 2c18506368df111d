import QuoteCore
import Testing

@Suite struct OpTests {
    static let id = Samples.id(of: Samples.markChen)

    static func put(_ milliseconds: UInt64, origin: UInt64) -> Op {
        .put(Samples.markChen, id: id, timestamp: HybridTimestamp(milliseconds: milliseconds, logical: 0), origin: origin)
    }

    static func delete(_ milliseconds: UInt64, origin: UInt64) -> Op {
        .delete(id, timestamp: HybridTimestamp(milliseconds: milliseconds, logical: 0), origin: origin)
    }

    @Test func laterTimestampWinsWhateverTheOriginOrKind() {
        #expect(OpTests.put(2, origin: 1).supersedes(OpTests.delete(1, origin: 9)))
        #expect(OpTests.delete(2, origin: 1).supersedes(OpTests.put(1, origin: 9)))
        #expect(!OpTests.delete(1, origin: 9).supersedes(OpTests.put(2, origin: 1)))
    }

    @Test func logicalCounterOrdersOpsOfTheSameMillisecond() {
        let earlier = Op.delete(OpTests.id, timestamp: HybridTimestamp(milliseconds: 5, logical: 1), origin: 9)
        let later = Op.put(Samples.markChen, id: OpTests.id, timestamp: HybridTimestamp(milliseconds: 5, logical: 2), origin: 1)
        #expect(later.supersedes(earlier))
        #expect(!earlier.supersedes(later))
    }

    @Test func greaterOriginBreaksATimestampTie() {
        #expect(OpTests.put(1, origin: 2).supersedes(OpTests.delete(1, origin: 1)))
        #expect(!OpTests.delete(1, origin: 1).supersedes(OpTests.put(1, origin: 2)))
    }

    @Test func deleteWinsAnExactTieWithAPut() {
        #expect(OpTests.delete(1, origin: 1).supersedes(OpTests.put(1, origin: 1)))
        #expect(!OpTests.put(1, origin: 1).supersedes(OpTests.delete(1, origin: 1)))
    }

    @Test func anOpDoesNotSupersedeItself() {
        #expect(!OpTests.put(1, origin: 1).supersedes(OpTests.put(1, origin: 1)))
        #expect(!OpTests.delete(1, origin: 1).supersedes(OpTests.delete(1, origin: 1)))
    }

    @Test(arguments: [OpTests.put(1_751_112_000_000, origin: 7), OpTests.delete(1_751_198_400_000, origin: .max)])
    func opDecodesToWhatWasEncoded(_ op: Op) throws {
        var writer = ByteWriter()
        op.encode(into: &writer)
        var reader = ByteReader(writer.bytes)
        #expect(try Op.decode(from: &reader) == op)
        try reader.expectEnd()
    }

    @Test func deleteEncodesAsKindTimestampOriginAndIDOnly() {
        var writer = ByteWriter()
        OpTests.delete(1, origin: 2).encode(into: &writer)
        #expect(writer.bytes == [2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2] + OpTests.id.bytes)
    }
}
