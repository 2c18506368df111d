import Foundation
import QuoteCore
@testable import QuoteStore
import Testing

/// The index snapshot saved at close must give the next open exactly the indexes a build
/// from the log gives, and any snapshot that does not fit the log must be set aside.
@Suite struct IndexSnapshotTests {
    private func listings(_ archive: Archive) throws -> [[QuoteID]] { try IndexProbe.listings(archive) }

    private func quotes(_ label: String, _ range: Range<Int>) -> [Quote] { IndexProbe.quotes(label, range, seed: 1) }

    private var snapshotPath: (String) -> String { IndexSnapshot.path(in:) }

    /// A tombstone for an id the archive has never seen: its ordinal is indexed only when
    /// its put comes, maybe after a snapshot.
    private func tombstone(for quote: Quote) -> Op {
        .delete(canonical(quote).id, timestamp: HybridTimestamp(rawValue: 1 << 20), origin: 7)
    }

    @Test func aCleanCloseSavesIndexesThatTheNextOpenLoads() async throws {
        try await withTemporaryDirectory { path async throws in
            let early = quotes("early", 0..<300)
            let written = try await withArchive(path) { archive async throws -> IndexSnapshotWrite in
                #expect(archive.indexSource == .built(reason: "no index snapshot"))
                _ = await archive.add(early)
                try await archive.delete(canonical(early[4]).id.description)
                try await archive.apply([tombstone(for: makeQuote("never put"))])
                return archive.close()
            }
            guard case let .written(bytes, _) = written else { Issue.record("close wrote no snapshot: \(written)"); return }
            #expect(bytes == (try FileManager.default.attributesOfItem(atPath: snapshotPath(path))[.size] as? Int))

            let (loaded, loadedListings, secondClose) = try await withArchive(path) { archive async throws in
                (IndexSnapshot.encode(archive.state), try listings(archive), archive.close())
            }
            #expect(secondClose == .skipped(reason: "the snapshot on disk is current"))
            try FileManager.default.removeItem(atPath: snapshotPath(path))
            let (built, builtListings) = try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .built(reason: "no index snapshot"))
                return (IndexSnapshot.encode(archive.state), try listings(archive))
            }
            #expect(loaded == built, "a snapshot's indexes are byte for byte those a build makes")
            #expect(loadedListings == builtListings)
            #expect(builtListings[0].count == 299)
            try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .snapshot(quotes: 301, tail: 0))
            }
        }
    }

    @Test func anOpenAfterACrashIndexesWhatTheSnapshotLacks() async throws {
        try await withTemporaryDirectory { path async throws in
            let early = quotes("early", 0..<200)
            let late = makeQuote("a snapshot tail quote put after its tombstone", by: "Grace Hopper", date: "1999", tags: ["odd"])
            try await withArchive(path) { archive async throws in
                _ = await archive.add(early)
                try await archive.apply([tombstone(for: late)])
            }
            // Writes after the snapshot, then a copy of the files as a crash would leave them.
            let crashed = path + "/crashed"
            let expected = try await withArchive(path, durability: .always) { archive async throws -> [[QuoteID]] in
                #expect(archive.indexSource == .snapshot(quotes: 201, tail: 0))
                _ = await archive.add(quotes("tail", 0..<120))
                try await archive.apply([.put(canonical(late).quote, id: canonical(late).id,
                                              timestamp: HybridTimestamp(rawValue: 2 << 20), origin: 7)])
                try await archive.delete(canonical(early[9]).id.description)
                try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: true)
                for file in ["quotes.log", "node-id", IndexSnapshot.fileName] {
                    try FileManager.default.copyItem(atPath: path + "/" + file, toPath: crashed + "/" + file)
                }
                return try listings(archive)
            }
            let afterMore = try await withArchive(crashed) { archive async throws -> [[QuoteID]] in
                #expect(archive.indexSource == .snapshot(quotes: 201, tail: 121))
                #expect(try listings(archive) == expected)
                #expect(try archive.search(SearchFilter(words: "tombstone"), limit: 10).quotes.count == 1)
                _ = await archive.add(quotes("more", 0..<30))
                return try listings(archive)
            }
            try await withArchive(crashed) { archive async throws in
                #expect(archive.indexSource == .snapshot(quotes: 351, tail: 0))
                #expect(try listings(archive) == afterMore)
            }
            try FileManager.default.removeItem(atPath: snapshotPath(crashed))
            try await withArchive(crashed) { archive async throws in
                #expect(archive.indexSource == .built(reason: "no index snapshot"))
                #expect(try listings(archive) == afterMore)
            }
        }
    }

    /// Each kind of damage, and what the open says about it.
    @Test(arguments: [
        ("flipped", "snapshot checksum mismatch"),
        ("cut", "snapshot cut short"),
        ("magic", "not an index snapshot"),
        // The previous build's version: it has no word pairs.
        ("version", "snapshot format version 4"),
        ("section", "snapshot lacks its tags section"),
        ("foreign", "snapshot was written for another log"),
        ("empty", "not an index snapshot"),
    ])
    func aSnapshotThatDoesNotFitIsSetAside(damage: String, reason: String) async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in _ = await archive.add(quotes("quote", 0..<150)) }
            let expected = try await withArchive(path) { archive async throws in try listings(archive) }
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: snapshotPath(path))))
            switch damage {
            case "flipped": bytes[bytes.count / 2] ^= 0x10
            case "cut": bytes.removeLast(7)
            case "magic": bytes[0] = 0x51 ^ 0xFF
            case "version": bytes[11] = 4
            case "section":
                // Renamed, so the registry finds no `tags` section; the checksum is made good,
                // so it is the section lookup that refuses it.
                let name = Array("\u{0}\u{0}\u{0}\u{4}tags".utf8)
                let at = try #require((0...(bytes.count - name.count)).first { bytes[$0..<($0 + name.count)].elementsEqual(name) })
                bytes[at + name.count - 1] = UInt8(ascii: "z")
                let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[IndexSnapshot.headerBytes...])) }
                for index in 0..<4 { bytes[12 + index] = UInt8(truncatingIfNeeded: checksum >> (24 - 8 * UInt32(index))) }
            case "empty": bytes = []
            default:
                let other = path + "/other"
                try await withArchive(other) { archive async throws in _ = await archive.add(quotes("other", 0..<150)) }
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: snapshotPath(other))))
            }
            try Data(bytes).write(to: URL(fileURLWithPath: snapshotPath(path)))
            try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .built(reason: reason), "\(damage)")
                #expect(try listings(archive) == expected, "\(damage)")
                #expect(archive.close() != .skipped(reason: "the snapshot on disk is current"), "a bad snapshot is replaced")
            }
            try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .snapshot(quotes: 150, tail: 0), "\(damage)")
            }
        }
    }

    @Test func aSnapshotFarBehindTheLogIsSetAside() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in _ = await archive.add(quotes("first", 0..<50)) }
            // Written while indexing is deferred: the old snapshot stays, and falls behind.
            try await withArchive(path) { archive async throws in
                let deferral = archive.deferIndexing()
                _ = await archive.add(quotes("many", 0..<10_001))
                #expect(archive.close() == .skipped(reason: "indexing is deferred"))
                withExtendedLifetime(deferral) {}
            }
            try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .built(reason: "the log holds 10001 quotes the snapshot lacks"))
                #expect(try archive.allQuotes(SearchFilter(words: "many")).count == 10_001)
            }
        }
    }

    /// A snapshot whose checksum is right but whose content is not (written by a buggy or
    /// hostile hand) is refused or loaded, but never crashes the open or a search.
    @Test func damageBehindAValidChecksumNeverCrashes() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { archive async throws in
                _ = await archive.add(quotes("quote", 0..<60))
                try await archive.apply([tombstone(for: makeQuote("never put"))])
            }
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: snapshotPath(path))))
            var generator = SplitMix64(seed: 42)
            var refused = 0
            for round in 0..<150 {
                var bytes = original
                for _ in 0...(round % 3) {
                    let offset = Int.random(in: IndexSnapshot.headerBytes..<bytes.count, using: &generator)
                    bytes[offset] = round % 2 == 0 ? UInt8.random(in: 0...255, using: &generator) : bytes[offset] ^ 0x01
                }
                let body = bytes[IndexSnapshot.headerBytes...]
                let checksum = CRC32C.checksum(Array(body)).bigEndian
                withUnsafeBytes(of: checksum) { bytes.replaceSubrange(12..<16, with: $0) }
                try Data(bytes).write(to: URL(fileURLWithPath: snapshotPath(path)))
                try await withArchive(path) { archive async throws in
                    if case .built = archive.indexSource { refused += 1 }
                    _ = try listings(archive)
                    _ = try? archive.get(String(canonical(quotes("quote", 0..<1)[0]).id.description.prefix(8)))
                    _ = try? archive.random(SearchFilter())
                    // Keep the original on disk for the next round.
                    try Data(original).write(to: URL(fileURLWithPath: snapshotPath(path)))
                    archive.close()
                    try Data(original).write(to: URL(fileURLWithPath: snapshotPath(path)))
                }
            }
            #expect(refused > 100, "most damage is caught by the checks: \(refused) of 150")
        }
    }

    /// A data directory closed by the build before snapshot version 2 (committed under
    /// Tests/Fixtures), whose log is format version 1 too: the log upgrade removes the old
    /// snapshot, the indexes are built from the log and answer as before, and the next close
    /// writes a current snapshot that the open after it loads.
    @Test func aVersionOneSnapshotFromThePreviousBuildIsRebuiltAndReplaced() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/index-snapshot-v1")
        try await withTemporaryDirectory { path async throws in
            for file in ["quotes.log", "indexes", "node-id"] {
                try FileManager.default.copyItem(atPath: fixture.appendingPathComponent(file).path, toPath: path + "/" + file)
            }
            let expected = try await withArchive(path) { archive async throws in
                #expect(archive.upgrade?.fromVersion == 1)
                #expect(archive.indexSource == .built(reason: "no index snapshot"))
                #expect(archive.statistics.liveQuotes == 9)
                #expect(try archive.allQuotes(SearchFilter(speaker: "lovelace", tags: ["analytical engine"])).count == 1)
                #expect(try archive.allQuotes(SearchFilter(words: "ships built")).count == 1)
                #expect(try archive.allQuotes(SearchFilter(speaker: "deleted person")).isEmpty)
                let listed = try listings(archive)
                guard case .written = archive.close() else { Issue.record("no version 2 snapshot written"); return listed }
                return listed
            }
            try await withArchive(path) { archive async throws in
                #expect(archive.indexSource == .snapshot(quotes: 10, tail: 0))
                #expect(try listings(archive) == expected)
            }
        }
    }
}
