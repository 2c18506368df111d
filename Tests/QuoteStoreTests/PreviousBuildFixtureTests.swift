import Foundation
import QuoteCore
@testable import QuoteStore
import Testing

/// Data directories written by earlier builds. A replica's (Tests/Fixtures/replica-snapshot-
/// v3): its version-3 index snapshot is set aside and the indexes built with today's
/// folding, and its two-field checkpoint is read as one that names no op. One with a
/// version-4 snapshot (Tests/Fixtures/archive-snapshot-v4), which lacks the word pairs.
@Suite struct PreviousBuildFixtureTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/replica-snapshot-v3/data")

    func withFixtureCopy(_ body: (String) async throws -> Void) async throws {
        try await withTemporaryDirectory { path async throws in
            for file in ["quotes.log", "node-id", "indexes", "replication-checkpoints"] {
                try FileManager.default.copyItem(atPath: Self.fixture.appendingPathComponent(file).path, toPath: path + "/" + file)
            }
            try await body(path)
        }
    }

    @Test func theOldSnapshotIsRebuiltSoTheNewFoldingFindsItsQuotes() async throws {
        try await withFixtureCopy { path async throws in
            try await withArchive(path) { archive async throws in
                #expect(archive.digest().liveCount == 4)
                for (filter, speaker) in [(SearchFilter(speaker: "ho chi minh"), "Hồ Chí Minh"),
                                          (SearchFilter(words: "khong doc lap"), "Hồ Chí Minh"),
                                          (SearchFilter(words: "οιδα"), "Σωκράτης"),
                                          (SearchFilter(words: "lodz"), "Øystein Ørsted"),
                                          (SearchFilter(speaker: "oystein orsted"), "Øystein Ørsted"),
                                          (SearchFilter(speaker: "dijkstra"), "Edsger W. Dijkstra")] {
                    let found = try archive.allQuotes(filter)
                    #expect(found.map(\.quote.speaker) == [speaker], "\(filter)")
                }
            }
            // The next close wrote the current snapshot version.
            let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/indexes")).prefix(12))
            #expect(header[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } == 5)
        }
    }

    static let snapshotV4 = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/archive-snapshot-v4/data")

    /// A data directory of the build before the word pairs (Tests/Fixtures/archive-snapshot-
    /// v4): its snapshot lacks them, so it is set aside and the indexes built, and phrase
    /// searches find what they found before.
    @Test func aVersion4SnapshotIsRebuiltWithTheWordPairs() async throws {
        try await withTemporaryDirectory { path async throws in
            for file in ["quotes.log", "node-id", "indexes"] {
                try FileManager.default.copyItem(atPath: Self.snapshotV4.appendingPathComponent(file).path, toPath: path + "/" + file)
            }
            try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .built(reason: "snapshot format version 4"))
                for (query, speakers) in [("\"our home\"", ["Ada Example", "Mark Chen"]), ("\"broke into our home\"", ["Mark Chen"]),
                                          ("\"home is where\"", ["Ada Example"]), ("\"home and\"", ["Mark Chen"]),
                                          ("\"home our\"", []), ("\"unser zuhause\"", ["Johann Wolfgang von Goethe"])] {
                    let found = try archive.allQuotes(SearchFilter(words: query))
                    #expect(found.map(\.quote.speaker).sorted() == speakers, "\(query)")
                }
            }
            try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .snapshot(quotes: 4, tail: 0))
                #expect(try archive.allQuotes(SearchFilter(words: "\"broke into our home\"")).map(\.quote.speaker) == ["Mark Chen"])
            }
        }
    }

    @Test func theTwoFieldCheckpointNamesNoOp() async throws {
        try await withFixtureCopy { path async throws in
            let checkpoints = ReplicationCheckpoints(directory: path, logLastSequence: 4)
            let old = checkpoints.checkpoint(for: 0x93E7_0444_250C_33A1)
            #expect(old == ReplicationCheckpoint(sequence: 4, fingerprint: nil))
            #expect(!old.isVerifiable)
            #expect(checkpoints.dropped.isEmpty)
        }
    }
}
