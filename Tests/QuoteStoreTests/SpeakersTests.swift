import QuoteCore
import QuoteStore
import Testing

/// SPEAKERS on a real archive: names matched word by word or by a prefix, live quotes
/// counted, most first, and malformed queries refused with the reason.
@Suite struct SpeakersTests {
    static let quotes: [Quote] = [
        Quote(text: "We are going to over-invest.", speaker: "Mark Zuckerberg"),
        Quote(text: "Superintelligence is in sight.", speaker: "Mark Zuckerberg"),
        Quote(text: "Move fast.", speaker: "Mark Zuckerberg"),
        Quote(text: "Someone broke into our home.", speaker: "Mark Chen"),
        Quote(text: "Goodbye, deleted.", speaker: "Mark Chen"),
        Quote(text: "Zum Wohl.", speaker: "Zuzana Zu"),
        Quote(text: "Anonymous words.", speaker: "Anonymous"),
    ]

    func withSpeakers(_ body: (Archive) async throws -> Void) async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let ids = await archive.add(Self.quotes).map(\.id)
                try await archive.delete(ids[4].description)
                try await body(archive)
            }
        }
    }

    func names(_ archive: Archive, _ query: String, limit: Int = 20) throws -> [String] {
        try archive.speakers(matching: query, limit: limit).speakers.map { "\($0.name) \($0.quotes)" }
    }

    @Test func wordsInAnyOrderAndAPrefixMatchWithLiveCountsMostFirst() async throws {
        try await withSpeakers { archive async throws in
            #expect(try names(archive, "mark") == ["Mark Zuckerberg 3", "Mark Chen 1"])
            #expect(try names(archive, "CHEN mark") == ["Mark Chen 1"])
            #expect(try names(archive, "zu*") == ["Mark Zuckerberg 3", "Zuzana Zu 1"])
            #expect(try names(archive, "mark zu*") == ["Mark Zuckerberg 3"])
            #expect(try names(archive, "zucker*") == ["Mark Zuckerberg 3"])
            #expect(try names(archive, "") == ["Mark Zuckerberg 3", "Anonymous 1", "Mark Chen 1", "Zuzana Zu 1"])
            #expect(try names(archive, "nobody").isEmpty)
            #expect(try names(archive, "mark qq*").isEmpty)
            let limited = try archive.speakers(matching: "", limit: 2)
            #expect(limited.matching == 4 && limited.speakers.count == 2)
        }
    }

    @Test func aSpeakerWithNoLiveQuoteIsNotListed() async throws {
        try await withSpeakers { archive async throws in
            let chen = try archive.search(SearchFilter(speaker: "mark chen"), limit: 5).quotes
            try await archive.delete(chen[0].id.description)
            #expect(try names(archive, "mark") == ["Mark Zuckerberg 3"])
        }
    }

    @Test(arguments: ["*", "z*", "zu*ck", "mark * chen", "zu *"])
    func aMisplacedOrTooShortPrefixIsAnInvalidQuery(query: String) async throws {
        try await withSpeakers { archive async throws in
            #expect {
                _ = try archive.speakers(matching: query, limit: 20)
            } throws: { error in
                guard case let ArchiveError.invalidQuery(reason) = error else { return false }
                return reason.contains("'*'")
            }
        }
    }
}
