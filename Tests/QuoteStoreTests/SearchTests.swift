import QuoteCore
import QuoteStore
import Testing

/// A small archive with one quote per search rule worth checking.
private enum Fixture {
    static let markChen = makeQuote("Measure twice, cut once.", by: "Mark Chen", date: "2025-06-28", lang: "en",
                                    tags: ["craft", "advice"])
    static let markTwain = makeQuote("The secret of getting ahead is getting started.", by: "Mark Twain",
                                     date: "1900", lang: "en", tags: ["advice"])
    static let french = makeQuote("quelqu'un s'est faufilé dans notre maison et a volé quelque chose",
                                  by: "Élodie Marchand", date: "2025-06", lang: "fr", tags: ["maison"])
    static let yearOnly = makeQuote("A whole year of quotes.", by: "Ann Year", date: "2025", lang: "en")
    static let lateMay = makeQuote("The end of May.", by: "Ann Year", date: "2025-05-31", lang: "en")
    static let earlyJuly = makeQuote("The start of July.", by: "Ann Year", date: "2025-07-01", lang: "en",
                                     tags: ["advice"])
    static let undated = makeQuote("No one knows when this was said.", by: "Anonymous", tags: ["advice"])
    static let deleted = makeQuote("Deleted quote mentioning maison.", by: "Mark Chen", date: "2025-06-01")

    static let all = [markChen, markTwain, french, yearOnly, lateMay, earlyJuly, undated, deleted]

    static func id(_ quote: Quote) -> QuoteID { canonical(quote).id }

    /// Runs `body` against a fresh archive holding the fixture (the `deleted` quote deleted).
    static func withArchive(_ body: (Archive) async throws -> Void) async throws {
        try await withTemporaryDirectory { path async throws in
            try await QuoteStoreTests.withArchive(path) { archive async throws in
                _ = await archive.add(all)
                try await archive.delete(id(deleted).description)
                try await body(archive)
            }
        }
    }
}

@Suite struct SearchTests {
    private func ids(_ archive: Archive, _ filter: SearchFilter) throws -> Set<QuoteID> {
        Set(try archive.allQuotes(filter).map(\.id))
    }

    private func date(_ text: String) -> QuoteDate { try! QuoteDate(parsing: text) }

    @Test func speakerMatchesTheWholeNameOrAnyWholeWordIgnoringCaseAndDiacritics() async throws {
        try await Fixture.withArchive { archive async throws in
            let chen: Set = [Fixture.id(Fixture.markChen)]
            #expect(try ids(archive, SearchFilter(speaker: "chen")) == chen)
            #expect(try ids(archive, SearchFilter(speaker: "CHEN")) == chen)
            #expect(try ids(archive, SearchFilter(speaker: "chén")) == chen)
            #expect(try ids(archive, SearchFilter(speaker: "Mark Chen")) == chen)
            #expect(try ids(archive, SearchFilter(speaker: "  mark   CHEN ")) == chen)
            #expect(try ids(archive, SearchFilter(speaker: "mark")) == [Fixture.id(Fixture.markChen), Fixture.id(Fixture.markTwain)])
            #expect(try ids(archive, SearchFilter(speaker: "elodie")) == [Fixture.id(Fixture.french)])
            #expect(try ids(archive, SearchFilter(speaker: "che")).isEmpty)
            // Every word of the query a whole word of the name, in any order.
            #expect(try ids(archive, SearchFilter(speaker: "Chen Mark")) == chen)
            #expect(try ids(archive, SearchFilter(speaker: "mark chen mark")) == chen)
            #expect(try ids(archive, SearchFilter(speaker: "mark twain chen")).isEmpty)
            #expect(try ids(archive, SearchFilter(speaker: "marc")).isEmpty)
            #expect(try ids(archive, SearchFilter(speaker: "mark che")).isEmpty)
        }
    }

    /// The issue's names: a query of some of the words of a longer name finds it.
    @Test func aSpeakerQueryOfSomeWordsOfALongerNameFindsIt() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let names = ["Johann Wolfgang von Goethe", "Edsger W. Dijkstra", "The Wall Street Journal", "Wolfgang Pauli"]
                let added = await archive.add(names.map { Quote(text: "Said by \($0).", speaker: $0) }).map(\.id)
                let byName = Dictionary(uniqueKeysWithValues: zip(names, added))
                for (query, expected) in [("von goethe", ["Johann Wolfgang von Goethe"]), ("goethe JOHANN", ["Johann Wolfgang von Goethe"]),
                                          ("edsger dijkstra", ["Edsger W. Dijkstra"]), ("wall street journal", ["The Wall Street Journal"]),
                                          ("wolfgang", ["Johann Wolfgang von Goethe", "Wolfgang Pauli"]), ("wolfgang street", [])] {
                    #expect(try ids(archive, SearchFilter(speaker: query)) == Set(expected.map { byName[$0]! }), "\(query)")
                }
            }
        }
    }

    /// Random names from a small vocabulary and random queries of their words: the index
    /// answers what a scan of every quote's folded speaker words answers.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func speakerQueriesAgreeWithABruteForceScan(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let vocabulary = ["anna", "Bernd", "von", "DE", "la", "Chén", "ğül", "Marie", "o'neil", "Jr."]
        func pick() -> String { vocabulary[Int(random.next() % UInt64(vocabulary.count))] }
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let quotes = (0..<300).map { index in
                    Quote(text: "Random speaker quote \(index)", speaker: (0..<(1 + Int(random.next() % 3))).map { _ in pick() }.joined(separator: " "))
                }
                let stored = await archive.add(quotes)
                let folder = TextFolder.shared
                let wordsOf = Dictionary(zip(stored.map(\.id), quotes.map { Set(folder.words(of: $0.speaker)) }), uniquingKeysWith: { first, _ in first })
                for _ in 0..<60 {
                    let query = (0..<(1 + Int(random.next() % 3))).map { _ in pick() }.joined(separator: " ")
                    let wanted = Set(folder.words(of: query))
                    let expected = Set(wordsOf.filter { wanted.isSubset(of: $0.value) }.keys)
                    #expect(try ids(archive, SearchFilter(speaker: query)) == expected, "\(query)")
                }
            }
        }
    }

    @Test func aPartialDateIsAnIntervalThatMatchesEveryRangeItOverlaps() async throws {
        try await Fixture.withArchive { archive async throws in
            let june = SearchFilter(from: date("2025-06-01"), to: date("2025-06-30"))
            #expect(try ids(archive, june) == [Fixture.id(Fixture.markChen), Fixture.id(Fixture.french),
                                              Fixture.id(Fixture.yearOnly)])
            // 2025-06 overlaps "from 2025-06-28"; 2025-05-31 does not.
            #expect(try ids(archive, SearchFilter(from: date("2025-06-28"))) == [
                Fixture.id(Fixture.markChen), Fixture.id(Fixture.french), Fixture.id(Fixture.yearOnly),
                Fixture.id(Fixture.earlyJuly),
            ])
            #expect(try ids(archive, SearchFilter(to: date("2025-05-31"))) == [
                Fixture.id(Fixture.markTwain), Fixture.id(Fixture.yearOnly), Fixture.id(Fixture.lateMay),
            ])
            // A partial bound is an interval too: "to 2025-06" includes the 28th.
            #expect(try ids(archive, SearchFilter(from: date("2025-06"), to: date("2025-06"))) == [
                Fixture.id(Fixture.markChen), Fixture.id(Fixture.french), Fixture.id(Fixture.yearOnly),
            ])
            #expect(try ids(archive, SearchFilter(from: date("1900"), to: date("1900"))) == [Fixture.id(Fixture.markTwain)])
            #expect(try ids(archive, SearchFilter(from: date("2025-06-29"), to: date("2025-06-29"))) == [
                Fixture.id(Fixture.french), Fixture.id(Fixture.yearOnly),
            ])
            // Undated quotes match no date filter at all.
            #expect(try !ids(archive, SearchFilter(from: date("0001"))).contains(Fixture.id(Fixture.undated)))
            #expect(try !ids(archive, SearchFilter(to: date("9999"))).contains(Fixture.id(Fixture.undated)))
            #expect(try ids(archive, SearchFilter(from: date("2030"))).isEmpty)
        }
    }

    @Test func everyWordMustAppearIgnoringCaseAndDiacritics() async throws {
        try await Fixture.withArchive { archive async throws in
            let french: Set = [Fixture.id(Fixture.french)]
            #expect(try ids(archive, SearchFilter(words: "maison")) == french)
            #expect(try ids(archive, SearchFilter(words: "MAISON")) == french)
            #expect(try ids(archive, SearchFilter(words: "faufile")) == french)
            #expect(try ids(archive, SearchFilter(words: "FAUFILÉ")) == french)
            #expect(try ids(archive, SearchFilter(words: "volé maison quelqu'un")) == french)
            #expect(try ids(archive, SearchFilter(words: "maison garden")).isEmpty)
            #expect(try ids(archive, SearchFilter(words: "mais")).isEmpty)
            #expect(try ids(archive, SearchFilter(words: "getting")) == [Fixture.id(Fixture.markTwain)])
            #expect(try ids(archive, SearchFilter(words: "the")) == [
                Fixture.id(Fixture.markTwain), Fixture.id(Fixture.lateMay), Fixture.id(Fixture.earlyJuly),
            ])
        }
    }

    @Test func tagsMustAllBePresentAndLangMustMatch() async throws {
        try await Fixture.withArchive { archive async throws in
            #expect(try ids(archive, SearchFilter(tags: ["advice"])) == [
                Fixture.id(Fixture.markChen), Fixture.id(Fixture.markTwain), Fixture.id(Fixture.earlyJuly),
                Fixture.id(Fixture.undated),
            ])
            #expect(try ids(archive, SearchFilter(tags: ["ADVICE", "craft"])) == [Fixture.id(Fixture.markChen)])
            #expect(try ids(archive, SearchFilter(tags: ["advice", "unknown"])).isEmpty)
            #expect(try ids(archive, SearchFilter(lang: "fr")) == [Fixture.id(Fixture.french)])
            #expect(try ids(archive, SearchFilter(lang: "FR")) == [Fixture.id(Fixture.french)])
            #expect(try ids(archive, SearchFilter(lang: "de")).isEmpty)
            #expect(try ids(archive, SearchFilter(lang: "en")).count == 5)
        }
    }

    @Test func filtersCombineWithAnd() async throws {
        try await Fixture.withArchive { archive async throws in
            #expect(try ids(archive, SearchFilter(speaker: "mark", tags: ["advice"])).count == 2)
            #expect(try ids(archive, SearchFilter(speaker: "mark", from: date("2000"))) == [Fixture.id(Fixture.markChen)])
            #expect(try ids(archive, SearchFilter(speaker: "mark", words: "secret")) == [Fixture.id(Fixture.markTwain)])
            #expect(try ids(archive, SearchFilter(speaker: "chen", words: "secret")).isEmpty)
            #expect(try ids(archive, SearchFilter(words: "maison", lang: "en")).isEmpty)
            #expect(try ids(archive, SearchFilter(from: date("2025"), tags: ["advice"], lang: "en")) == [
                Fixture.id(Fixture.markChen), Fixture.id(Fixture.earlyJuly),
            ])
            #expect(try ids(archive, SearchFilter(speaker: "ann year", from: date("2025-06"), to: date("2025-07"),
                                                  tags: ["advice"])) == [Fixture.id(Fixture.earlyJuly)])
        }
    }

    @Test func resultsAreOrderedByDateThenIDWithUndatedLast() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let dates: [String?] = ["2020", "2020-01", "2019-12-31", nil, "2020-01-01", nil, "1999", "2020"]
                var quotes: [Quote] = []
                for (index, date) in dates.enumerated() {
                    for copy in 0..<3 { quotes.append(makeQuote("Ordered \(index).\(copy)", by: "Order Keeper", date: date)) }
                }
                _ = await archive.add(quotes.shuffled())
                let expected = quotes.map(canonical).sorted { left, right in
                    let a = left.quote.date?.sortKey ?? .max
                    let b = right.quote.date?.sortKey ?? .max
                    return a != b ? a < b : left.id < right.id
                }.map(\.id)
                #expect(try archive.allQuotes().map(\.id) == expected)
                #expect(try archive.allQuotes(SearchFilter(speaker: "order keeper")).map(\.id) == expected)
                #expect(try archive.allQuotes(SearchFilter(words: "ordered")).map(\.id) == expected)
                #expect(try archive.search(SearchFilter(), limit: 5).quotes.map(\.id) == Array(expected.prefix(5)))
            }
        }
    }

    @Test(arguments: ["all", "speaker", "words", "dates"])
    func pagingVisitsEveryMatchExactlyOnceWhileQuotesAreAdded(index kind: String) async throws {
        let filter: SearchFilter = switch kind {
        case "speaker": SearchFilter(speaker: "pager")
        case "words": SearchFilter(words: "paged")
        case "dates": SearchFilter(from: try QuoteDate(parsing: "2000"))
        default: SearchFilter()
        }
        var generator = SplitMix64(seed: 99)
        func randomQuote(_ label: String) -> Quote {
            let year = Int.random(in: 1995...2030, using: &generator)
            let date: String? = switch Int.random(in: 0..<4, using: &generator) {
            case 0: nil
            case 1: "\(year)"
            case 2: "\(year)-0\(Int.random(in: 1...9, using: &generator))"
            default: "\(year)-0\(Int.random(in: 1...9, using: &generator))-1\(Int.random(in: 0...9, using: &generator))"
            }
            return makeQuote("A paged quote \(label).", by: "Pat Pager", date: date)
        }
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let originals = (0..<120).map { randomQuote("original \($0)") }
                _ = await archive.add(originals)
                let expected = Set(try archive.allQuotes(filter).map(\.id))
                #expect(expected.count > 40)

                var seen: [ArchivedQuote] = []
                var cursor: [UInt8] = []
                var page = 0
                repeat {
                    let result = try archive.search(filter, limit: 7, cursor: cursor)
                    #expect(result.quotes.count <= 7)
                    seen += result.quotes
                    cursor = result.cursor
                    // New quotes land before and after the cursor; none may disturb the walk.
                    _ = await archive.add((0..<3).map { randomQuote("added on page \(page), \($0)") })
                    page += 1
                } while !cursor.isEmpty && page < 100

                let seenIDs = seen.map(\.id)
                #expect(Set(seenIDs).count == seenIDs.count, "no quote twice")
                #expect(expected.isSubset(of: Set(seenIDs)), "every original match once")
                let keys = seen.map { ($0.quote.date?.sortKey ?? .max, $0.id) }
                #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "strictly increasing order")
            }
        }
    }

    @Test func aWordWithThousandsOfMatchesPagesInOrderWithTheOtherFilters() async throws {
        // Past a thousand or so matches the archive walks the date order instead of sorting
        // the matches; both ways must give the same pages.
        var generator = SplitMix64(seed: 5)
        let quotes = (0..<3000).map { index in
            let year = Int.random(in: 1990...2020, using: &generator)
            let date: String? = index % 7 == 0 ? nil : index % 5 == 0 ? "\(year)" : "\(year)-0\(Int.random(in: 1...9, using: &generator))"
            return makeQuote("A common word in quote \(index)\(index % 3 == 0 ? " and a marker" : "").",
                             by: index % 2 == 0 ? "Even Speaker" : "Odd Speaker", date: date,
                             lang: index % 4 == 0 ? "fr" : "en", tags: index % 10 == 0 ? ["tenth"] : [])
        }
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                _ = await archive.add(quotes)
                try await archive.delete(canonical(quotes[3]).id.description)
                let everything = try archive.allQuotes()
                func expected(_ keep: (ArchivedQuote) -> Bool) -> [QuoteID] { everything.filter(keep).map(\.id) }

                #expect(try archive.allQuotes(SearchFilter(words: "common")).map(\.id) == expected { _ in true })
                #expect(try archive.allQuotes(SearchFilter(words: "COMMON word")).map(\.id) == expected { _ in true })
                #expect(try archive.allQuotes(SearchFilter(words: "common marker")).map(\.id)
                        == expected { $0.quote.text.contains("marker") })
                #expect(try archive.allQuotes(SearchFilter(speaker: "even", words: "common")).map(\.id)
                        == expected { $0.quote.speaker == "Even Speaker" })
                #expect(try archive.allQuotes(SearchFilter(words: "common", lang: "fr")).map(\.id)
                        == expected { $0.quote.lang == "fr" })
                #expect(try archive.allQuotes(SearchFilter(words: "common", tags: ["tenth"])).map(\.id)
                        == expected { $0.quote.tags == ["tenth"] })
                let from = date("2000-03")
                let to = date("2010")
                #expect(try archive.allQuotes(SearchFilter(from: from, to: to, words: "common")).map(\.id) == expected { quote in
                    guard let date = quote.quote.date else { return false }
                    return date.lastDay >= from.firstDay && date.firstDay <= to.lastDay
                })
                let firstPage = try archive.search(SearchFilter(words: "common"), limit: 20)
                #expect(firstPage.quotes.map(\.id) == Array(everything.prefix(20).map(\.id)))
                #expect(!firstPage.cursor.isEmpty)
            }
        }
    }

    @Test func aCursorThatIsNotOursIsRejected() async throws {
        try await Fixture.withArchive { archive async throws in
            let valid = try archive.search(SearchFilter(), limit: 1).cursor
            #expect(valid.count == 21)
            var wrongVersion = valid
            wrongVersion[0] = 9
            for cursor in [[1, 2, 3], wrongVersion, valid + [0], Array(valid.dropLast())] as [[UInt8]] {
                #expect(throws: ArchiveError.invalidCursor) { try archive.search(SearchFilter(), limit: 5, cursor: cursor) }
            }
            #expect(throws: ArchiveError.self) { try archive.search(SearchFilter(), limit: 0) }
        }
    }

    @Test func randomPicksOnlyMatchesAndReachesAllOfThem() async throws {
        try await Fixture.withArchive { archive async throws in
            let marks: Set = [Fixture.id(Fixture.markChen), Fixture.id(Fixture.markTwain)]
            var picked = Set<QuoteID>()
            for _ in 0..<200 { picked.insert(try archive.random(SearchFilter(speaker: "mark")).id) }
            #expect(picked == marks)

            var any = Set<QuoteID>()
            for _ in 0..<500 { any.insert(try archive.random(SearchFilter()).id) }
            #expect(!any.contains(Fixture.id(Fixture.deleted)))
            #expect(any.count == Fixture.all.count - 1)

            #expect(throws: ArchiveError.self) { try archive.random(SearchFilter(speaker: "nobody")) }
        }
    }

    @Test func theQuoteOfTheDayIsStableForADayAndVariesAcrossDays() async throws {
        try await Fixture.withArchive { archive async throws in
            let filter = SearchFilter(lang: "en")
            let english = try ids(archive, filter)
            var picks = Set<QuoteID>()
            for day in UInt32(20_000)..<20_060 {
                let pick = try archive.random(filter, day: day).id
                #expect(try archive.random(filter, day: day).id == pick)
                #expect(english.contains(pick))
                picks.insert(pick)
            }
            #expect(picks.count > 2)
            // The pick is the match with the smallest day score, the same on every node.
            let day: UInt32 = 20_123
            let best = english.min { Archive.dayScore($0, day: day) < Archive.dayScore($1, day: day) }
            #expect(try archive.random(filter, day: day).id == best)
        }
    }
}

/// The server writes GET and SEARCH answers straight from stored bytes; they must be the
/// bytes the values `get` and `search` return would encode to.
@Suite struct EncodedAnswerTests {
    @Test func encodedPagesAndQuotesEqualTheEncodedValues() async throws {
        try await Fixture.withArchive { archive async throws in
            let filters = [SearchFilter(), SearchFilter(speaker: "mark"), SearchFilter(words: "maison"),
                           SearchFilter(from: try QuoteDate(parsing: "2025"), to: try QuoteDate(parsing: "2025")),
                           SearchFilter(speaker: "nobody at all")]
            for filter in filters {
                for limit in [1, 2, 50] {
                    var cursor: [UInt8] = []
                    repeat {
                        let page = try archive.search(filter, limit: limit, cursor: cursor)
                        var expected = ByteWriter()
                        Response.searchPage(page.quotes, cursor: page.cursor).encodePayload(into: &expected)
                        var encoded = ByteWriter()
                        try archive.encodeSearchPage(filter, limit: limit, cursor: cursor, into: &encoded)
                        #expect(encoded.bytes == expected.bytes, "\(filter) limit \(limit)")
                        for quote in page.quotes {
                            var one = ByteWriter()
                            quote.encode(into: &one)
                            var direct = ByteWriter()
                            try archive.encodeGet(String(quote.id.description.prefix(8)), into: &direct)
                            #expect(direct.bytes == one.bytes)
                        }
                        cursor = page.cursor
                    } while !cursor.isEmpty
                }
            }
            var untouched = ByteWriter()
            #expect(throws: ArchiveError.self) { try archive.encodeGet("0123456789abcdef", into: &untouched) }
            #expect(untouched.count == 0)
        }
    }
}
