import QuoteCore
@testable import QuoteStore
import Synchronization
import Testing

/// Indexing deferred while a backlog is applied, then rebuilt in one go, must leave
/// exactly the indexes that indexing op by op (or reopening the log) builds.
@Suite struct DeferredIndexingTests {
    private func listings(_ archive: Archive) throws -> [[QuoteID]] { try IndexProbe.listings(archive) }

    private func quotes(_ label: String, _ range: Range<Int>, seed: UInt64) -> [Quote] {
        IndexProbe.quotes(label, range, seed: seed)
    }

    @Test(arguments: 0..<2)
    func indexesRebuiltAfterADeferralEqualIndexesBuiltAtOpen(seed: UInt64) async throws {
        try await withTemporaryDirectory { path async throws in
            let (rebuilt, afterMore) = try await withArchive(path) { archive async throws in
                _ = await archive.add(quotes("indexed", 0..<200, seed: seed))
                let first = archive.deferIndexing()
                let second = archive.deferIndexing()
                let deferred = quotes("deferred", 0..<300, seed: seed)
                _ = await archive.add(deferred)
                // Deletes of quotes indexed before and during the deferral, and a re-add.
                try await archive.delete(canonical(quotes("indexed", 0..<200, seed: seed)[5]).id.description)
                try await archive.delete(canonical(deferred[7]).id.description)
                _ = await archive.add(deferred[7])
                try await archive.delete(canonical(deferred[8]).id.description)

                let id = canonical(deferred[0]).id
                #expect(try archive.get(id.description).quote.text == deferred[0].text, "a GET by whole id sees it")
                #expect(try archive.search(SearchFilter(words: "deferred"), limit: 10).quotes.isEmpty,
                        "searches see only what was indexed before")
                let liveDuringDeferral = archive.statistics.liveQuotes
                #expect(liveDuringDeferral == 498)

                // The first resume's completion waits for the rebuild the last one starts.
                let firstResumed = Mutex(false)
                first.resume { firstResumed.withLock { $0 = true } }
                let secondCallResumed = Mutex(false)
                first.resume { secondCallResumed.withLock { $0 = true } }
                await archive.barrier()
                #expect(try archive.search(SearchFilter(words: "deferred"), limit: 10).quotes.isEmpty,
                        "one of two deferrals is still on")
                #expect(!firstResumed.withLock { $0 })
                #expect(!first.isDone)
                await withCheckedContinuation { continuation in second.resume { continuation.resume() } }
                #expect(firstResumed.withLock { $0 })
                #expect(first.isDone && second.isDone)
                #expect(secondCallResumed.withLock { $0 }, "a second resume of one deferral waits like the first")
                await withCheckedContinuation { continuation in first.resume { continuation.resume() } }
                let found = try archive.search(SearchFilter(words: "deferred"), limit: 1_000).quotes.count
                #expect(found == 299)
                #expect(try archive.get(String(id.description.prefix(12))).id == id, "id prefixes see it again")
                let rebuilt = try listings(archive)

                // Single writes after the rebuild go into the rebuilt indexes.
                _ = await archive.add(quotes("after", 0..<150, seed: seed))
                try await archive.delete(canonical(deferred[9]).id.description)
                return (rebuilt, try listings(archive))
            }
            let reopened = try await withArchive(path) { archive async throws in try listings(archive) }
            #expect(afterMore == reopened, "seed \(seed)")
            let (rebuiltCount, afterMoreCount) = (rebuilt[0].count, afterMore[0].count)
            #expect(rebuiltCount == 498)
            #expect(afterMoreCount == 647)
        }
    }
}
