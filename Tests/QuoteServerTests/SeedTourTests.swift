import Foundation
import QuoteClient
import QuoteCore
import Testing

/// The newcomer's tour against a seeded server, through the Swift client.
@Suite struct SeedTourTests {
    @Test func seededServerFindsMarkChenBySpeakerWordAndDate() throws {
        let server = try TestServer(seeded: true)
        defer { server.removeData() }
        let client = try server.client()

        let chen = try client.search(SearchFilter(speaker: "chen"))
        #expect(chen.count >= 2)
        #expect(chen.allSatisfy { $0.quote.speaker == "Mark Chen" })

        let french = try client.search(SearchFilter(words: "MAISON"))
        #expect(french.contains { $0.quote.speaker == "Mark Chen" && $0.quote.lang == "fr" })

        let june2025 = try client.search(SearchFilter(from: try QuoteDate(parsing: "2025-06"), to: try QuoteDate(parsing: "2025-06")))
        #expect(june2025.contains { $0.quote.speaker == "Mark Chen" })
        #expect(!june2025.contains { $0.quote.date == (try? QuoteDate(parsing: "2024")) })

        let zuckerberg2024 = try client.search(SearchFilter(speaker: "zuckerberg", from: try QuoteDate(parsing: "2024-07-01"), to: try QuoteDate(parsing: "2024-08-31")))
        #expect(zuckerberg2024.count == 1)

        let random = try client.random(SearchFilter(speaker: "mark"))
        #expect(random.quote.speaker.hasPrefix("Mark"))
        let today = try client.today()
        #expect(try client.today().id == today.id)
    }

    @Test func getByPrefixDeleteAndIdempotentAdd() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let client = try server.client()
        let quote = Quote(text: "Simplicity is prerequisite for reliability.", speaker: "Edsger W. Dijkstra", date: try QuoteDate(parsing: "1975"), tags: ["software"])
        let id = try client.add(quote)
        let again = try client.add([quote, Quote(text: "  Simplicity is prerequisite for   reliability. ", speaker: "Edsger  W. Dijkstra", date: try QuoteDate(parsing: "1975"), tags: ["SOFTWARE"])])
        #expect(again.map(\.status) == [.alreadyPresent, .alreadyPresent])
        #expect(again.allSatisfy { $0.id == id })

        #expect(try client.get(id.short(6)).id == id)
        #expect(throws: ClientError.self) { try client.get("abc") }
        #expect(try client.delete(id.description) == id)
        do {
            _ = try client.get(id.description)
            Issue.record("a deleted quote was found")
        } catch let error {
            #expect(error.code == .notFound)
        }
    }

    @Test func batchResultsCarryEachQuotesOwnValidationError() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let client = try server.client()
        let results = try client.add([
            Quote(text: "Fine.", speaker: "A"),
            Quote(text: "   ", speaker: "B"),
            Quote(text: "No speaker", speaker: ""),
            Quote(text: "Bad lang", speaker: "C", lang: "english"),
        ])
        #expect(results.map(\.status) == [.added, .rejected, .rejected, .rejected])
        #expect(results.map(\.code) == [ErrorCode(rawValue: 0), .emptyText, .missingSpeaker, .invalidLanguage])
        #expect(try client.stats().first { $0.name == "quotes.live" }?.value == .integer(1))
    }
}
