import QuoteCore
@testable import QuoteStore
import Testing

/// Word, tag and prefix searches over the ranked lists (`RankedIndex`): the lists' seeks
/// against plain arrays, and whole searches, page by page, against a brute-force scan in
/// (date, id) order, with the ranking missing, complete, and behind (an unranked tail),
/// with deleted and replaced quotes, date ranges, and a work budget small enough to end
/// pages early.
@Suite struct RankedSearchTests {
    @Test(arguments: [0, 1, 63, 64, 65, 129, 2_000] as [Int])
    func seeksLandOnTheFirstRankAtOrAboveTheTarget(count: Int) {
        var random = SplitMix64(seed: UInt64(count) + 1)
        var ranks: [UInt32] = []
        var next: UInt32 = UInt32(random.next() % 3)
        for _ in 0..<count {
            ranks.append(next)
            // Mostly small gaps, sometimes ones that take several LEB128 bytes.
            next += random.next() % 8 == 0 ? UInt32(1 + random.next() % 100_000) : UInt32(1 + random.next() % 4)
        }
        let list = RankedPostingList(sorted: ranks)
        #expect(list.count == count)
        #expect(list.ranks == ranks)
        for _ in 0..<50 {
            var cursor = RankedPostingList.Cursor(list)
            var target: UInt32 = 0
            for _ in 0..<20 {
                target += UInt32(random.next() % UInt64(max(1, (ranks.last ?? 10) / 10 + 2)))
                let position = ranks.partitionPoint { $0 >= target }
                let expected = position < ranks.count ? ranks[position] : nil
                #expect(cursor.seek(target) == expected)
                if random.next() % 3 == 0 {
                    cursor.advance()
                    let after = expected != nil && position + 1 < ranks.count ? ranks[position + 1] : nil
                    #expect(cursor.current == after)
                    guard let after else { break }
                    target = after
                }
            }
        }
    }

    /// A small vocabulary (so words repeat across quotes), dates of every precision and
    /// none, a few tags.
    struct Corpus {
        var random: SplitMix64
        let vocabulary = ["alpha", "alphabet", "beta", "Bêta", "gamma", "gam", "delta", "epsilon", "zeta", "eta",
                          "home", "broke", "into", "our"]
        let tags = ["news", "tech", "home"]

        mutating func word() -> String { vocabulary[Int(random.next() % UInt64(vocabulary.count))] }

        mutating func quote(_ index: Int) -> Quote {
            let text = (0..<(2 + Int(random.next() % 7))).map { _ in word() }.joined(separator: " ") + " n\(index)"
            var date: QuoteDate?
            switch random.next() % 4 {
            case 0: date = nil
            case 1: date = try! QuoteDate(year: 2000 + Int(random.next() % 5))
            case 2: date = try! QuoteDate(year: 2000 + Int(random.next() % 5), month: 1 + Int(random.next() % 12))
            default:
                date = try! QuoteDate(year: 2000 + Int(random.next() % 5), month: 1 + Int(random.next() % 12),
                                      day: 1 + Int(random.next() % 28))
            }
            let tagged = tags.filter { _ in random.next() % 3 == 0 }
            return Quote(text: text, speaker: "Speaker \(random.next() % 4)", date: date, tags: tagged)
        }

        mutating func query() -> SearchFilter {
            var parts: [String] = []
            for _ in 0..<(1 + Int(random.next() % 3)) {
                switch random.next() % 6 {
                case 0, 1, 2: parts.append(word())
                case 3: parts.append("\"\(word()) \(word())\"")
                case 4: parts.append(String(word().prefix(3)) + "*")
                default: parts.append("-" + word())
                }
            }
            var filter = SearchFilter(words: parts.joined(separator: " "))
            if random.next() % 4 == 0 { filter.tags = [tags[Int(random.next() % UInt64(tags.count))]] }
            if random.next() % 4 == 0 {
                let year = 2000 + Int(random.next() % 5)
                filter.from = try! QuoteDate(year: year, month: 1 + Int(random.next() % 12))
                filter.to = try! QuoteDate(year: year + Int(random.next() % 2))
            }
            if random.next() % 5 == 0 { filter.speaker = "speaker \(random.next() % 4)" }
            return filter
        }
    }

    /// What the filter matches, read from every live quote, in (date, id) order.
    static func bruteForce(_ filter: SearchFilter, _ live: [QuoteID: Quote], words foldedText: [QuoteID: [String]]) throws
        -> [QuoteID] {
        let folder = TextFolder.shared
        func folded(_ text: String) -> [String] { folder.words(of: text).map { String(decoding: $0, as: UTF8.self) } }
        func occurs(_ run: [String], _ words: [String]) -> Bool {
            guard run.count <= words.count else { return false }
            return (0...(words.count - run.count)).contains { Array(words[$0..<$0 + run.count]) == run }
        }
        let query = try TextQuery(filter.words, folder: folder)
        let string = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self) }
        let matching = live.filter { id, quote in
            let words = foldedText[id]!
            guard query.words.map(string).allSatisfy(words.contains),
                  query.phrases.allSatisfy({ occurs($0.map(string), words) }),
                  query.prefixes.map(string).allSatisfy({ prefix in words.contains { $0.hasPrefix(prefix) } }),
                  !query.excluded.contains(where: { occurs($0.map(string), words) }) else { return false }
            if !filter.tags.isEmpty && !filter.tags.allSatisfy(quote.tags.contains) { return false }
            if !filter.speaker.isEmpty && !folded(filter.speaker).allSatisfy(folded(quote.speaker).contains) { return false }
            if filter.from != nil || filter.to != nil {
                guard let date = quote.date else { return false }
                if let from = filter.from, date.lastDay < from.firstDay { return false }
                if let to = filter.to, date.firstDay > to.lastDay { return false }
            }
            return true
        }
        return matching.sorted { a, b in
            let (x, y) = (a.value.date?.sortKey ?? .max, b.value.date?.sortKey ?? .max)
            return x != y ? x < y : a.key < b.key
        }.map(\.key)
    }

    /// Every page of `filter`, `limit` at a time.
    static func paged(_ archive: Archive, _ filter: SearchFilter, limit: Int) throws -> [QuoteID] {
        var ids: [QuoteID] = []
        var cursor: [UInt8] = []
        var pages = 0
        repeat {
            let page = try archive.search(filter, limit: limit, cursor: cursor)
            #expect(page.quotes.count <= limit)
            ids += page.quotes.map(\.id)
            cursor = page.cursor
            pages += 1
        } while !cursor.isEmpty && pages < 10_000
        return ids
    }

    @Test(arguments: [(21, Archive.defaultSearchWorkBudget), (22, 40), (23, 7)] as [(UInt64, Int)])
    func pagesAgreeWithABruteForceScanWhateverTheRanking(seed: UInt64, budget: Int) async throws {
        var corpus = Corpus(random: SplitMix64(seed: seed))
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path, searchWorkBudget: budget) { archive async throws in
                var live: [QuoteID: Quote] = [:]
                var words: [QuoteID: [String]] = [:]
                func track(_ id: QuoteID, _ quote: Quote) {
                    live[id] = quote
                    words[id] = TextFolder.shared.words(of: quote.text).map { String(decoding: $0, as: UTF8.self) }
                }
                func check(_ stage: String, queries: Int) throws {
                    for _ in 0..<queries {
                        let filter = corpus.query()
                        let expected = try RankedSearchTests.bruteForce(filter, live, words: words)
                        let limit = 1 + Int(corpus.random.next() % 9)
                        #expect(try RankedSearchTests.paged(archive, filter, limit: limit) == expected,
                                "\(stage): \(filter.words) tags \(filter.tags) speaker '\(filter.speaker)'")
                        #expect(try archive.count(filter) == expected.count, "\(stage): count \(filter.words)")
                    }
                }
                func add(_ count: Int) async {
                    let quotes = (0..<count).map { corpus.quote(live.count + $0) }
                    for (result, quote) in zip(await archive.add(quotes), quotes) { track(result.id, quote) }
                }
                await add(300)
                try check("as added", queries: 30)
                archive.waitUntilRanked()
                #expect(archive.rankings.count >= 1)
                try check("ranked", queries: 60)

                // An unranked tail: fewer quotes than a new ranking waits for.
                await add(200)
                for id in live.keys.sorted().prefix(40) {
                    _ = try await archive.delete(id.description)
                    live[id] = nil
                }
                for id in live.keys.sorted().suffix(20) {
                    var changed = live[id]!
                    changed.text += " " + corpus.word() + " zeta"
                    let (result, _) = try await archive.edit(id.description, to: changed)
                    live[id] = nil
                    track(result.id, changed)
                }
                try check("ranked with a tail", queries: 60)

                // Past the tail's limit: ranked again, the tail merged in.
                await add(SearchIndexes.minimumUnranked + 100)
                archive.waitUntilRanked()
                #expect(archive.rankings.count >= 2)
                try check("ranked again", queries: 40)
            }
        }
    }

    /// A quote first seen as a tombstone holds an old ordinal when its put comes after a
    /// ranking: the word lists re-encode themselves around it, and it is still found.
    @Test func aPutAfterItsTombstoneIsFoundAfterARanking() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let late = canonical(Quote(text: "alpha beta lately put", speaker: "Late"))
                _ = try await archive.apply([.delete(late.id, timestamp: HybridTimestamp(rawValue: 1 << 20), origin: 7)])
                let early = (0..<300).map { Quote(text: "alpha gamma early \($0)", speaker: "Early") }
                _ = await archive.add(early)
                archive.waitUntilRanked()
                _ = await archive.add((0..<50).map { Quote(text: "alpha delta tail \($0)", speaker: "Tail") })
                _ = try await archive.apply([.put(late.quote, id: late.id, timestamp: HybridTimestamp(rawValue: 2 << 20), origin: 7)])
                #expect(archive.statistics.rankedQuotes == 300)
                #expect(try archive.allQuotes(SearchFilter(words: "alpha beta")).map(\.id) == [late.id])
                #expect(try archive.count(SearchFilter(words: "alpha")) == 351)
                #expect(try archive.count(SearchFilter(words: "lately")) == 1)
                #expect(try archive.count(SearchFilter(words: "alpha -gamma")) == 51)
            }
        }
    }

    @Test func aPageTheBudgetEndsIsShortButLosesNothing() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path, searchWorkBudget: 50) { archive async throws in
                // Every quote holds "common"; one in a hundred also "rare": finding them
                // reads past far more quotes than the budget allows a page.
                _ = await archive.add(RankedSearchTests.commonQuotes(2_000))
                archive.waitUntilRanked()
                try RankedSearchTests.expectShortPagesFindAll(archive, matches: 20)
            }
        }
    }

    /// `count` quotes holding "common", one in a hundred of them "rare" and the rest "plain".
    static func commonQuotes(_ count: Int) -> [Quote] {
        (0..<count).map { index in
            Quote(text: "common words \(index)" + (index % 100 == 7 ? " rare" : " plain"), speaker: "S")
        }
    }

    /// Checks that `common -plain`, whose matches take more reading than the budget allows
    /// a page, ends its first page short with a cursor, and that paging finds each of its
    /// `matches` once.
    static func expectShortPagesFindAll(_ archive: Archive, matches: Int) throws {
        let filter = SearchFilter(words: "common -plain")
        let first = try archive.search(filter, limit: 20)
        #expect(first.quotes.count < matches)
        #expect(!first.cursor.isEmpty)
        let all = try paged(archive, filter, limit: 20)
        #expect(all.count == matches)
        #expect(Set(all).count == matches)
        #expect(try archive.count(filter) == matches)
    }
}

extension RankedSearchTests {
    @Test func theUnrankedTailsChecksCountAgainstTheBudgetToo() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path, searchWorkBudget: 50) { archive async throws in
                _ = await archive.add((0..<2_000).map { Quote(text: "other words \($0)", speaker: "S") })
                archive.waitUntilRanked()
                // Fewer than a new ranking waits for: all of these stay in the unranked tail,
                // and every one of them must be read to rule out "plain".
                _ = await archive.add(RankedSearchTests.commonQuotes(1_000))
                #expect(archive.statistics.rankedQuotes == 2_000)
                #expect(archive.statistics.unrankedQuotes == 1_000)
                try RankedSearchTests.expectShortPagesFindAll(archive, matches: 10)
            }
        }
    }
}

/// The byte-level checks a phrase, prefix or exclusion goes through: a run that starts
/// again inside a partial match ("a a b" in "a a a b") is still found, by both.
@Suite struct TextCheckTests {
    func bytes(_ words: String...) -> [[UInt8]] { words.map { Array($0.utf8) } }

    func check(_ text: String, phrases: [[[UInt8]]] = [], prefixes: [[UInt8]] = [], excluded: [[[UInt8]]] = []) -> Bool {
        let check = TextCheck(words: [], phrases: phrases, prefixes: prefixes, excluded: excluded)!
        return Array(text.utf8).withUnsafeBytes { check.accepts($0, folder: TextFolder.shared, checkWords: false) }
    }

    func prefilter(_ text: String, _ phrase: [[UInt8]]) -> Bool {
        Array(text.utf8).withUnsafeBytes { PhrasePrefilter(phrase)!.mayOccur(in: $0) }
    }

    @Test func runsAreFoundWhereverTheyStart() {
        #expect(check("A a a B.", phrases: [bytes("a", "a", "b")]))
        #expect(!check("a b a a", phrases: [bytes("a", "a", "b")]))
        #expect(check("Someone broke into our HOME", phrases: [bytes("into", "our", "home")], prefixes: [Array("som".utf8)]))
        #expect(!check("Someone broke into our home", prefixes: [Array("xy".utf8)]))
        #expect(!check("Our home is not a broken home.", excluded: [bytes("broken", "home")]))
        #expect(check("Our home is not a broken car.", excluded: [bytes("broken", "home")]))
        #expect(check("Bêta gamma", phrases: [bytes("beta", "gamma")]))
        #expect(prefilter("A a a B.", bytes("a", "a", "b")))
        #expect(!prefilter("a b a a", bytes("a", "a", "b")))
        #expect(!prefilter("alpha-beta gamma", bytes("beta", "alpha")))
        #expect(prefilter("alpha-BETA, gamma", bytes("beta", "gamma")))
        // Not ASCII: only folding can tell, so maybe.
        #expect(prefilter("Bêta gamma", bytes("beta", "delta")))
        #expect(PhrasePrefilter(bytes("bêta")) == nil)
    }
}
