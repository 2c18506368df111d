import Foundation
import QuoteCore
import QuoteStore
import Testing

/// A quote is its words and its speaker: ADD never overwrites other metadata unless asked,
/// edits keep or move the id, the indexes follow the newest metadata, and the content
/// digest compares what archives hold, not who wrote it.
@Suite struct QuoteIdentityTests {
    static let bare = Quote(text: "Simplicity is prerequisite for reliability.", speaker: "Edsger W. Dijkstra")
    static let dated = Quote(text: "Simplicity is prerequisite for reliability.", speaker: "Edsger W. Dijkstra",
                             date: try! QuoteDate(year: 1975), source: "EWD498", lang: "en", tags: ["simplicity"])

    @Test func addNeverOverwritesOtherMetadataUnlessReplacing() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let first = await archive.add(Self.bare)
                #expect(first.status == .added)
                let differs = await archive.add(Self.dated)
                #expect(differs.status == .differs && differs.id == first.id)
                #expect(try archive.get(first.id.description).quote == Self.bare)
                let updated = await archive.add([Self.dated], replace: true)
                #expect(updated.map(\.status) == [.updated])
                #expect(try archive.get(first.id.description).quote == Self.dated)
                #expect(await archive.add([Self.dated], replace: true).map(\.status) == [.alreadyPresent])
                #expect(archive.statistics.liveQuotes == 1 && archive.statistics.deletedQuotes == 0)
                // Within one batch the second copy sees the first.
                let batch = await archive.add([Self.bare, Self.dated], replace: false)
                #expect(batch.map(\.status) == [.differs, .alreadyPresent])
            }
        }
    }

    @Test func searchesFollowTheNewestMetadataAndSurviveReopening() async throws {
        try await withTemporaryDirectory { path async throws in
            let id = try await withArchive(path) { archive async throws -> QuoteID in
                let id = await archive.add(Self.bare).id
                _ = await archive.add([Self.dated], replace: true)
                #expect(try archive.allQuotes(SearchFilter(tags: ["simplicity"])).map(\.id) == [id])
                #expect(try archive.allQuotes(SearchFilter(from: try QuoteDate(year: 1975))).map(\.id) == [id])
                #expect(try archive.allQuotes(SearchFilter(speaker: "dijkstra")).count == 1)
                #expect(try archive.allQuotes(SearchFilter(words: "simplicity")).count == 1)
                #expect(try archive.allQuotes().count == 1)
                var untagged = Self.dated
                untagged.tags = []
                _ = await archive.add([untagged], replace: true)
                #expect(try archive.allQuotes(SearchFilter(tags: ["simplicity"])).isEmpty)
                #expect(try archive.allQuotes(SearchFilter(lang: "en")).map(\.id) == [id])
                return id
            }
            // From the index snapshot, then rebuilt from the log: the same answers.
            for removeSnapshot in [false, true] {
                if removeSnapshot { try FileManager.default.removeItem(atPath: path + "/indexes") }
                try await withArchive(path) { archive async throws in
                    if removeSnapshot { #expect(archive.indexSource == .built(reason: "no index snapshot")) }
                    else { #expect(archive.indexSource == .snapshot(quotes: 3, tail: 0)) }
                    #expect(try archive.allQuotes(SearchFilter(tags: ["simplicity"])).isEmpty)
                    #expect(try archive.allQuotes(SearchFilter(lang: "en")).map(\.id) == [id])
                    #expect(try archive.allQuotes().count == 1)
                    #expect(archive.statistics.liveQuotes == 1 && archive.statistics.deletedQuotes == 0)
                }
            }
        }
    }

    @Test func editKeepsTheIDForMetadataAndMovesItForNewWords() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                let id = await archive.add(Self.bare).id
                let (kept, previous) = try await archive.edit(id.short(8), to: Self.dated)
                #expect(kept.status == .updated && kept.id == id && previous == id)
                let (unchanged, _) = try await archive.edit(id.description, to: Self.dated)
                #expect(unchanged.status == .alreadyPresent)
                var reworded = Self.dated
                reworded.text = "Simplicity is a prerequisite for reliability."
                let (moved, from) = try await archive.edit(id.description, to: reworded)
                #expect(moved.status == .added && moved.id == reworded.id && from == id)
                #expect(throws: ArchiveError.self) { try archive.get(id.description) }
                #expect(try archive.get(moved.id.description).quote.tags == ["simplicity"])
                #expect(archive.statistics.liveQuotes == 1 && archive.statistics.deletedQuotes == 1)
                // The put and the delete went into the log together, put first.
                let last = try archive.allChanges().suffix(2).map(\.op)
                #expect(last.map(\.kind) == [.put, .delete] && last.map(\.id) == [moved.id, id])
                var invalid = Self.dated
                invalid.speaker = " "
                let (rejected, _) = try await archive.edit(moved.id.description, to: invalid)
                #expect(rejected.status == .rejected && rejected.code == .missingSpeaker)
                await #expect(throws: ArchiveError.self) { _ = try await archive.edit(id.description, to: Self.bare) }
            }
        }
    }

    /// Two archives that hold the same quotes with the same metadata have the same content
    /// digest, however they got there; their ops digests differ.
    @Test func theContentDigestComparesWhatIsHeldNotWhoWroteIt() async throws {
        try await withTemporaryDirectory { first async throws in
            try await withTemporaryDirectory { second async throws in
                let one = try await withArchive(first) { archive async throws in
                    _ = await archive.add(Self.bare)
                    _ = await archive.add([Self.dated], replace: true)
                    _ = await archive.add(Quote(text: "Gone.", speaker: "X"))
                    try await archive.delete(Quote(text: "Gone.", speaker: "X").id.description)
                    return archive.digest()
                }
                let two = try await withArchive(second) { archive async throws in
                    _ = await archive.add(Self.dated)
                    return archive.digest()
                }
                #expect(one.liveCount == 1 && two.liveCount == 1)
                #expect(one.digest == two.digest)
                #expect(one.opsDigest != two.opsDigest)
                // A digest kept up to date op by op equals one computed from scratch.
                let reopened = try await withArchive(first) { $0.digest() }
                #expect(reopened.digest == one.digest && reopened.opsDigest == one.opsDigest)
            }
        }
    }

    /// The store writes the header the golden log vector shows (format version 2).
    @Test func theLogHeaderTheStoreWritesIsTheVectorsHeader() throws {
        let vector = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/log-file.bin")
        let bytes = [UInt8](try Data(contentsOf: vector))
        #expect(Array(bytes.prefix(LogFormat.headerBytes)) == LogFormat.header)
        #expect(LogFormat.version == 2)
    }
}
