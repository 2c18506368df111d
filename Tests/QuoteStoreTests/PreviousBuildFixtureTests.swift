import Foundation
import QuoteCore
import QuoteStore
import Testing

/// A replica's data directory written by the previous build (Tests/Fixtures/
/// replica-snapshot-v3): its version-3 index snapshot is set aside and the indexes built
/// with today's folding, and its two-field checkpoint is read as one that names no op.
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
            #expect(header[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } == 4)
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
