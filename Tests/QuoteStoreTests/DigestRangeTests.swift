import QuoteCore
import QuoteStore
import Testing

/// DIGEST_RANGE on a real archive: the whole range is DIGEST, parts add up to their range,
/// small ranges list their quotes, and a change moves exactly the ranges that hold it.
@Suite struct DigestRangeTests {
    static func sum(_ digests: [[UInt8]]) -> [UInt8] {
        var limbs = [UInt64](repeating: 0, count: 4)
        for digest in digests {
            var carry: UInt64 = 0
            for index in (0..<4).reversed() {
                let word = digest[index * 8..<index * 8 + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let (partial, first) = limbs[index].addingReportingOverflow(word)
                let (total, second) = partial.addingReportingOverflow(carry)
                limbs[index] = total
                carry = (first ? 1 : 0) + (second ? 1 : 0)
            }
        }
        return limbs.flatMap { limb in (0..<8).reversed().map { UInt8(truncatingIfNeeded: limb >> ($0 * 8)) } }
    }

    static func parts(_ range: DigestRange) -> [DigestRange.Part] {
        guard case let .split(parts) = range.body else { return [] }
        return parts
    }

    @Test func theWholeRangeIsDigestAndEveryRangeIsTheSumOfItsParts() async throws {
        try await withTemporaryDirectory { directory in
            try await withArchive(directory) { archive in
                let quotes = (0..<2_000).map { Quote(text: "Range quote \($0)", speaker: "Ranger \($0 % 9)", tags: $0 % 3 == 0 ? ["odd"] : []) }
                _ = await archive.add(quotes)
                for id in (await archive.add(quotes)).prefix(10).map(\.id) { try await archive.delete(id.description) }

                let whole = archive.digestRange(prefix: [])
                let digest = archive.digest()
                #expect(whole.liveCount == digest.liveCount && whole.liveCount == 1_990)
                #expect(whole.digest == digest.digest)
                let top = Self.parts(whole)
                #expect(top.count == 256)
                #expect(top.reduce(0) { $0 + $1.liveCount } == whole.liveCount)
                #expect(Self.sum(top.map(\.digest)) == whole.digest)

                // One byte down: the part's figures, and 256 parts of its own or its quotes.
                let busiest = top.indices.max { top[$0].liveCount < top[$1].liveCount }!
                let one = archive.digestRange(prefix: [UInt8(busiest)])
                #expect(one.liveCount == top[busiest].liveCount && one.digest == top[busiest].digest)
                guard case let .listed(entries) = one.body else {
                    Issue.record("a range of \(one.liveCount) quotes was not listed")
                    return
                }
                #expect(entries.map(\.id) == entries.map(\.id).sorted())
                #expect(entries.allSatisfy { $0.id.high >> 56 == UInt64(busiest) })
                #expect(Self.sum(entries.map(\.term)) == one.digest)

                // A whole id is a range of one quote, or of none.
                let single = archive.digestRange(prefix: entries[0].id.bytes)
                #expect(single.liveCount == 1 && single.body == .listed([entries[0]]))
                let readded = archive.digestRange(prefix: (await archive.add(quotes[0])).id.bytes)
                #expect(readded.liveCount == 1)
            }
        }
    }

    /// A metadata change moves the digest of its id's ranges and of no other.
    @Test func anEditMovesOnlyTheRangesThatHoldTheQuote() async throws {
        try await withTemporaryDirectory { directory in
            try await withArchive(directory) { archive in
                _ = await archive.add((0..<500).map { Quote(text: "Edited range \($0)", speaker: "Editor") })
                let before = Self.parts(archive.digestRange(prefix: []))
                let target = (await archive.add(Quote(text: "Edited range 7", speaker: "Editor"))).id
                _ = try await archive.edit(target.description, to: Quote(text: "Edited range 7", speaker: "Editor", date: try QuoteDate(year: 2001)))
                let after = Self.parts(archive.digestRange(prefix: []))
                let moved = (0..<256).filter { before[$0] != after[$0] }
                #expect(moved == [Int(target.high >> 56)])
                #expect(before[moved[0]].liveCount == after[moved[0]].liveCount)
            }
        }
    }

    @Test func anEmptyArchiveIsAnEmptyListedRange() async throws {
        try await withTemporaryDirectory { directory in
            try await withArchive(directory) { archive in
                let empty = archive.digestRange(prefix: [])
                #expect(empty == DigestRange(liveCount: 0, digest: [UInt8](repeating: 0, count: 32), body: .listed([])))
                #expect(archive.digestRange(prefix: [0xAB, 0xCD]).liveCount == 0)
            }
        }
    }
}
