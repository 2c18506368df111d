import Dispatch
import QuoteCore
import QuoteStore
import Testing

@Suite struct ReplicationTests {
    /// Random puts and deletes over a few ids, with timestamps from a narrow range and three
    /// origins so that ties on timestamp, and on (timestamp, origin), both happen.
    private func randomOps(count: Int, using generator: inout SplitMix64) -> [Op] {
        let quotes = (0..<6).map { index in
            canonical(makeQuote("Replicated quote \(index) about maison and garden.", by: "Speaker \(index % 2)",
                                date: index == 5 ? nil : "202\(index)", lang: index % 2 == 0 ? "fr" : "en",
                                tags: index % 3 == 0 ? ["shared"] : [])).quote
        }
        return (0..<count).map { _ in
            let quote = quotes.randomElement(using: &generator)!
            let timestamp = HybridTimestamp(milliseconds: 1_700_000_000_000 + UInt64.random(in: 0..<8, using: &generator),
                                            logical: UInt16.random(in: 0..<2, using: &generator))
            let origin = UInt64.random(in: 1...3, using: &generator)
            if Bool.random(using: &generator) {
                return .put(quote, id: quote.id, timestamp: timestamp, origin: origin)
            }
            return .delete(quote.id, timestamp: timestamp, origin: origin)
        }
    }

    /// The model: per id, the op with the greatest version.
    private func winners(_ ops: [Op]) -> [QuoteID: Op] {
        var winners: [QuoteID: Op] = [:]
        for op in ops {
            if let current = winners[op.id], op.version <= current.version { continue }
            winners[op.id] = op
        }
        return winners
    }

    /// Applies `ops` in batches of random sizes, all queued at once from several threads so
    /// the writer groups them however it likes.
    private func applyConcurrently(_ ops: [Op], to archive: Archive, using generator: inout SplitMix64) async {
        var batches: [[Op]] = []
        var rest = ops[...]
        while !rest.isEmpty {
            let size = Int.random(in: 1...5, using: &generator)
            batches.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        let group = DispatchGroup()
        let frozen = batches
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for batch in stride(from: worker, to: frozen.count, by: 4) {
                group.enter()
                archive.apply(frozen[batch]) { _ in group.leave() }
            }
        }
        await withCheckedContinuation { continuation in group.notify(queue: .global()) { continuation.resume() } }
    }

    @Test(arguments: [11, 22, 33, 44, 55] as [UInt64])
    func archivesApplyingTheSameOpsInAnyOrderConvergeOnLastWriterWins(seed: UInt64) async throws {
        var generator = SplitMix64(seed: seed)
        let ops = randomOps(count: 60, using: &generator)
        let model = winners(ops)
        let live = Set(model.values.filter { $0.kind == .put }.map(\.id))

        try await withTemporaryDirectory { root async throws in
            var observed: [(digest: [UInt8], liveCount: UInt64, ids: [QuoteID], speaker: [QuoteID])] = []
            for order in 0..<4 {
                let path = root + "/archive-\(order)"
                try await withArchive(path) { archive async throws in
                    switch order {
                    case 0:
                        try await archive.apply(ops)
                    case 1:
                        for op in ops.shuffled(using: &generator) { try await archive.apply([op]) }
                    case 2:
                        try await archive.apply(ops.reversed())
                    default:
                        await applyConcurrently(ops.shuffled(using: &generator), to: archive, using: &generator)
                    }
                }
                // Reopening replays the log, which must reach the same state.
                try await withArchive(path) { archive async throws in
                    let digest = archive.digest()
                    let all = try archive.allQuotes()
                    let speaker = try archive.allQuotes(SearchFilter(speaker: "speaker 0")).map(\.id)
                    observed.append((digest.digest, digest.liveCount, all.map(\.id), speaker))

                    #expect(Set(all.map(\.id)) == live, "seed \(seed), order \(order)")
                    #expect(digest.liveCount == UInt64(live.count), "seed \(seed), order \(order)")
                    for id in live {
                        let winner = model[id]!
                        let stored = try archive.get(id.description)
                        #expect(stored.timestamp == winner.timestamp && stored.origin == winner.origin,
                                "seed \(seed), order \(order)")
                    }
                    #expect(try archive.allQuotes(SearchFilter(words: "MAISON")).count == live.count,
                            "seed \(seed), order \(order)")

                    // The same ops again change nothing.
                    let before = archive.statistics.lastSequence
                    #expect(try await archive.apply(ops) == 0, "seed \(seed), order \(order)")
                    #expect(archive.statistics.lastSequence == before, "seed \(seed), order \(order)")
                }
            }
            for other in observed.dropFirst() {
                #expect(other.digest == observed[0].digest, "seed \(seed)")
                #expect(other.liveCount == observed[0].liveCount, "seed \(seed)")
                #expect(other.ids == observed[0].ids, "seed \(seed)")
                #expect(other.speaker == observed[0].speaker, "seed \(seed)")
            }
        }
    }

    @Test func aDeleteSeenBeforeItsPutStillHidesAnOlderPutAndYieldsToANewerOne() async throws {
        let quote = canonical(makeQuote("Tombstone first.", by: "Late Arrival", tags: ["order"])).quote
        let other = canonical(makeQuote("Another quote in between.", by: "Late Arrival", tags: ["order"])).quote
        let at = { (milliseconds: UInt64) in HybridTimestamp(milliseconds: milliseconds, logical: 0) }
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                #expect(try await archive.apply([.delete(quote.id, timestamp: at(200), origin: 1)]) == 1)
                #expect(try await archive.apply([.put(other, id: other.id, timestamp: at(150), origin: 1)]) == 1)
                #expect(try await archive.apply([.put(quote, id: quote.id, timestamp: at(100), origin: 1)]) == 0)
                #expect(throws: ArchiveError.self) { try archive.get(quote.id.description) }
                #expect(try await archive.apply([.put(quote, id: quote.id, timestamp: at(300), origin: 1)]) == 1)
                #expect(try archive.get(quote.id.description).timestamp == at(300))
                #expect(try archive.allQuotes(SearchFilter(words: "tombstone")).map(\.id) == [quote.id])
                #expect(try archive.allQuotes(SearchFilter(tags: ["order"])).count == 2)
            }
            try await withArchive(path) { archive async throws in
                #expect(try archive.allQuotes(SearchFilter(words: "tombstone")).map(\.id) == [quote.id])
                #expect(try archive.allQuotes(SearchFilter(tags: ["order"])).count == 2)
            }
        }
    }

    @Test func aPutWhoseIDIsNotItsQuotesHashIsRejectedWithItsWholeBatch() async throws {
        let good = canonical(makeQuote("An honest op.")).quote
        let other = canonical(makeQuote("Some other quote.")).quote
        let at = HybridTimestamp(milliseconds: 1_700_000_000_000, logical: 0)
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let misfiled = Op.put(other, id: good.id, timestamp: at, origin: 7)
                await #expect(throws: ArchiveError.self) {
                    try await archive.apply([.put(good, id: good.id, timestamp: at, origin: 7), misfiled])
                }
                #expect(archive.statistics.lastSequence == 0)
                #expect(throws: ArchiveError.self) { try archive.get(good.id.description) }
                #expect(try await archive.apply([.put(good, id: good.id, timestamp: at, origin: 7)]) == 1)
            }
        }
    }

    /// The server sends CHANGES pages copied from the log; they must be the bytes the ops
    /// `changes` decodes would encode to, puts and deletes alike.
    @Test func changesCopiedFromTheLogEqualTheEncodedOps() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let quotes = (0..<30).map { makeQuote("Copied change \($0), déjà vu.", by: "Speaker \($0 % 4)", tags: ["t\($0 % 3)"]) }
                _ = await archive.add(quotes)
                for index in [3, 9] { try await archive.delete(canonical(quotes[index]).id.description) }
                for (since, maxOps, maxBytes) in [(0, 7, 512 * 1024), (5, 100, 512 * 1024), (0, 100, 1), (32, 10, 512 * 1024)] as [(UInt64, Int, Int)] {
                    let page = try archive.changes(since: since, maxOps: maxOps, maxBytes: maxBytes)
                    var expected = ByteWriter()
                    Response.changes(page.ops, lastSequence: page.lastSequence).encodePayload(into: &expected)
                    var copied = ByteWriter()
                    let sent = try archive.encodeChanges(since: since, maxOps: maxOps, maxBytes: maxBytes, into: &copied)
                    #expect(copied.bytes == expected.bytes, "since \(since) maxOps \(maxOps)")
                    #expect(sent.lastSent == page.ops.last?.sequence)
                    #expect(sent.lastSequence == 32)
                }
            }
        }
    }

    @Test func changesComeInSequenceOrderRespectMaxOpsAndResume() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let quotes = (0..<25).map { makeQuote("Change number \($0).") }
                _ = await archive.add(quotes)
                for index in [2, 7, 11] { try await archive.delete(canonical(quotes[index]).id.description) }

                var collected: [SequencedOp] = []
                var since: UInt64 = 0
                var pages = 0
                while true {
                    let page = try archive.changes(since: since, maxOps: 10)
                    #expect(page.lastSequence == 28)
                    if page.ops.isEmpty { break }
                    #expect(page.ops.count <= 10)
                    #expect(page.ops.map(\.sequence) == Array((since + 1)...(since + UInt64(page.ops.count))))
                    collected += page.ops
                    since = page.ops.last!.sequence
                    pages += 1
                }
                #expect(pages == 3)
                #expect(collected.count == 28)
                #expect(collected.prefix(25).map(\.op.id) == quotes.map { canonical($0).id })
                #expect(collected.suffix(3).allSatisfy { $0.op.kind == .delete })
                #expect(collected.prefix(25).allSatisfy { $0.op.quote != nil && $0.op.origin == archive.nodeID })

                // Resuming from the middle, and a byte budget that allows only one op.
                #expect(try archive.changes(since: 20, maxOps: 100).ops.map(\.sequence) == Array(21...28))
                #expect(try archive.changes(since: 0, maxOps: 100, maxBytes: 1).ops.map(\.sequence) == [1])
                #expect(try archive.changes(since: 28, maxOps: 100).ops.isEmpty)

                // What changes returns, applied elsewhere, reproduces the archive.
                let digest = archive.digest()
                try await withArchive(path + "/replica") { replica async throws in
                    #expect(try await replica.apply(collected.map(\.op)) == 28)
                    #expect(replica.digest() == digest)
                }
            }
        }
    }
}
