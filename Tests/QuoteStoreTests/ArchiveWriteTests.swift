import QuoteCore
import QuoteStore
import Testing

@Suite struct ArchiveWriteTests {
    @Test func addedQuoteCanBeReadDeletedAndAddedAgain() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let quote = makeQuote("Simplicity is prerequisite for reliability.", by: "Edsger Dijkstra",
                                      date: "1975", lang: "en", tags: ["software"])
                let added = await archive.add(quote)
                #expect(added.status == .added)
                #expect(added.id == canonical(quote).id)

                let stored = try archive.get(added.id.description)
                #expect(stored.quote == canonical(quote).quote)
                #expect(stored.origin == archive.nodeID)

                let deleted = try await archive.delete(added.id.description)
                #expect(deleted == added.id)
                #expect(throws: ArchiveError.notFound(added.id.description)) { try archive.get(added.id.description) }
                await #expect(throws: ArchiveError.self) { try await archive.delete(added.id.description) }
                #expect(archive.statistics.liveQuotes == 0)
                #expect(archive.statistics.deletedQuotes == 1)

                let again = await archive.add(quote)
                #expect(again.status == .added)
                #expect(again.id == added.id)
                #expect(try archive.get(added.id.short()).quote == canonical(quote).quote)
                #expect(archive.statistics.liveQuotes == 1)
                #expect(archive.statistics.lastSequence == 3)
            }
        }
    }

    @Test func addingTheSameQuoteTwiceIsAlreadyPresentWithTheSameID() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let quote = makeQuote("To be or not to be.", by: "William Shakespeare", tags: ["Hamlet", "theatre"])
                let first = await archive.add(quote)
                let second = await archive.add(quote)
                #expect(first.status == .added)
                #expect(second.status == .alreadyPresent)
                #expect(second.id == first.id)

                // Whitespace runs, surrounding blanks and the case and order of tags do not
                // make a different quote.
                let variant = makeQuote("  To be   or not\tto be.  ", by: " William  Shakespeare ",
                                        tags: ["THEATRE", " hamlet ", "Hamlet"])
                let third = await archive.add(variant)
                #expect(third.status == .alreadyPresent)
                #expect(third.id == first.id)

                // The same quote twice in one batch is stored once.
                let other = makeQuote("Brevity is the soul of wit.", by: "William Shakespeare")
                let batch = await archive.add([other, other])
                #expect(batch.map(\.status) == [.added, .alreadyPresent])
                #expect(archive.statistics.lastSequence == 2)
                #expect(archive.statistics.liveQuotes == 2)
            }
        }
    }

    @Test func invalidQuotesAreRejectedAndNothingIsStored() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let invalid = [
                    makeQuote("   \n  ", by: "Someone"),
                    makeQuote("No speaker", by: "  "),
                    makeQuote(String(repeating: "x", count: QuoteLimits.maxTextBytes + 1), by: "Someone"),
                    makeQuote("Bad language", by: "Someone", lang: "français"),
                    makeQuote("Bad tag", by: "Someone", tags: [""]),
                    makeQuote("Control \u{07} character", by: "Someone"),
                ]
                let results = await archive.add(invalid)
                #expect(results.count == invalid.count)
                for result in results {
                    #expect(result.status == .rejected)
                    #expect(result.code.rawValue != 0)
                    #expect(!result.message.isEmpty)
                    #expect(result.id == QuoteID(high: 0, low: 0))
                }
                #expect(results[0].code == ValidationError.emptyText.code)
                #expect(results[1].code == ValidationError.missingSpeaker.code)

                // A valid quote in the same batch is stored; the invalid ones are not.
                let mixed = await archive.add([invalid[0], makeQuote("Valid", by: "Someone")])
                #expect(mixed.map(\.status) == [.rejected, .added])
                #expect(archive.statistics.liveQuotes == 1)
                #expect(archive.statistics.lastSequence == 1)
                #expect(try archive.allChanges().count == 1)
            }
        }
    }

    @Test func getAcceptsAUniquePrefixAndRejectsShortOrNonHexOnes() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let id = await archive.add(makeQuote("Prefixes are handy.")).id
                let hex = id.description
                #expect(try archive.get(String(hex.prefix(6))).id == id)
                #expect(try archive.get(String(hex.prefix(6)).uppercased()).id == id)
                #expect(try archive.get(String(hex.prefix(20))).id == id)
                #expect(try archive.get(hex + "\n").id == id)

                #expect(throws: ArchiveError.invalidID("abcde")) { try archive.get("abcde") }
                #expect(throws: ArchiveError.invalidID("")) { try archive.get("") }
                #expect(throws: ArchiveError.invalidID("zzzzzz")) { try archive.get("zzzzzz") }
                #expect(throws: ArchiveError.invalidID(hex + "0")) { try archive.get(hex + "0") }

                // A prefix that matches nothing: flip the first digit.
                let first = hex.first == "0" ? "1" : "0"
                let missing = first + hex.dropFirst().prefix(7)
                #expect(throws: ArchiveError.notFound(String(missing))) { try archive.get(String(missing)) }
            }
        }
    }

    /// Two quotes whose ids share six hex digits; about 5,000 candidates are expected
    /// (birthday bound over 16^6), 200,000 make failure impossible in practice.
    static func quotesSharingAPrefix() -> (Quote, Quote)? {
        var byPrefix: [String: Quote] = [:]
        for index in 0..<200_000 {
            let quote = makeQuote("Collision candidate number \(index).", by: "Prefix Hunter")
            let prefix = canonical(quote).id.short(6)
            if let earlier = byPrefix[prefix] { return (earlier, quote) }
            byPrefix[prefix] = quote
        }
        return nil
    }

    /// Ids sorted at open and ids added since are searched alike: a prefix shared by one
    /// of each is ambiguous, and a longer one finds each.
    @Test func aPrefixSharedByAnOpenedAndARecentQuoteIsAmbiguous() async throws {
        let (first, second) = try #require(Self.quotesSharingAPrefix())
        let (firstID, secondID) = (canonical(first).id, canonical(second).id)
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in _ = await archive.add(first) }
            try await withArchive(path) { archive async throws in
                _ = await archive.add(second)
                #expect(throws: ArchiveError.ambiguousPrefix(firstID.short(6), matches: 2)) { try archive.get(firstID.short(6)) }
                let common = zip(firstID.description, secondID.description).prefix { $0 == $1 }.count
                #expect(try archive.get(firstID.short(common + 1)).id == firstID)
                #expect(try archive.get(secondID.short(common + 1)).id == secondID)
                #expect(try archive.get(String(secondID.description.prefix(18))).id == secondID)
            }
        }
    }

    @Test func aPrefixSharedByTwoLiveQuotesIsAmbiguous() async throws {
        let (first, second) = try #require(Self.quotesSharingAPrefix())
        let firstID = canonical(first).id
        let secondID = canonical(second).id
        let shared = firstID.short(6)

        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                _ = await archive.add([first, second])
                #expect(throws: ArchiveError.ambiguousPrefix(shared, matches: 2)) { try archive.get(shared) }
                await #expect(throws: ArchiveError.ambiguousPrefix(shared, matches: 2)) {
                    try await archive.delete(shared)
                }

                // One more digit than the common part tells them apart.
                let common = zip(firstID.description, secondID.description).prefix { $0 == $1 }.count
                #expect(try archive.get(firstID.short(common + 1)).id == firstID)
                #expect(try archive.get(secondID.short(common + 1)).id == secondID)

                // Once one is deleted, the shared prefix names the other.
                try await archive.delete(firstID.description)
                #expect(try archive.get(shared).id == secondID)
            }
        }
    }

    @Test func deletingByPrefixInTheSameBatchAsTheAddFindsTheNewQuote() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let quote = makeQuote("Added and deleted in one group commit.")
                let id = canonical(quote).id
                // Queue both back to back so the writer usually sees them in one batch.
                let deleted = await withCheckedContinuation { continuation in
                    archive.add([quote]) { _ in }
                    archive.delete(id.short(10)) { continuation.resume(returning: $0) }
                }
                #expect(try deleted.get() == id)
                #expect(throws: ArchiveError.self) { try archive.get(id.description) }
            }
        }
    }
}
