import Foundation
import QuoteCore
import QuoteStore
import Testing

@Suite struct LogRecoveryTests {
    /// Writes a log of puts and deletes in `path` and returns its ops in order.
    private func buildLog(in path: String, quotes count: Int) async throws -> [SequencedOp] {
        try await withArchive(path) { archive async throws in
            for index in 0..<count {
                _ = await archive.add(makeQuote("Recorded quote number \(index), with some words.",
                                                by: "Speaker \(index % 3)", date: "2001-02-\(10 + index % 10)",
                                                tags: index % 2 == 0 ? ["even"] : []))
                if index % 4 == 3 {
                    try await archive.delete(canonical(makeQuote("Recorded quote number \(index - 1), with some words.",
                        by: "Speaker \((index - 1) % 3)", date: "2001-02-\(10 + (index - 1) % 10)",
                        tags: (index - 1) % 2 == 0 ? ["even"] : [])).id.description)
                }
            }
            return try archive.allChanges()
        }
    }

    /// The live quotes the first `count` ops leave (every op of a single writer wins).
    private func liveIDs(after ops: ArraySlice<SequencedOp>) -> Set<QuoteID> {
        var live = Set<QuoteID>()
        for sequenced in ops {
            if sequenced.op.kind == .put { live.insert(sequenced.op.id) } else { live.remove(sequenced.op.id) }
        }
        return live
    }

    @Test func aLogCutAtEveryByteOfItsLastTwoRecordsKeepsExactlyTheWholeRecords() async throws {
        try await withTemporaryDirectory { root async throws in
            let original = root + "/original"
            let ops = try await buildLog(in: original, quotes: 6)
            let image = LogBytes.read(original)
            let boundaries = LogBytes.recordBoundaries(image)
            #expect(boundaries.count == ops.count + 1)
            #expect(boundaries.last == image.count)

            let firstCut = boundaries[boundaries.count - 3]
            for cut in firstCut..<image.count {
                let directory = root + "/cut-\(cut)"
                LogBytes.write(Array(image[0..<cut]), to: directory)
                let whole = boundaries.lastIndex { $0 <= cut }!
                let kept = Array(ops[0..<whole])

                let extra = makeQuote("Appended after cutting at \(cut).")
                try await withArchive(directory) { archive async throws in
                    let report = archive.recoveryReport
                    #expect(report.records == whole, "cut at \(cut)")
                    if cut == boundaries[whole] {
                        #expect(report.truncatedAt == nil, "cut at \(cut)")
                    } else {
                        #expect(report.truncatedAt == boundaries[whole], "cut at \(cut)")
                        #expect(report.truncatedBytes == cut - boundaries[whole], "cut at \(cut)")
                    }
                    #expect(try archive.allChanges() == kept, "cut at \(cut)")
                    #expect(Set(try archive.allQuotes().map(\.id)) == liveIDs(after: kept[...]), "cut at \(cut)")
                    #expect(LogBytes.read(directory).count == boundaries[whole], "cut at \(cut)")
                    #expect(await archive.add(extra).status == .added)
                }
                try await withArchive(directory) { archive async throws in
                    let report = archive.recoveryReport
                    #expect(report.records == whole + 1, "cut at \(cut)")
                    #expect(report.truncatedAt == nil, "cut at \(cut)")
                    let changes = try archive.allChanges()
                    #expect(Array(changes.dropLast()) == kept, "cut at \(cut)")
                    #expect(changes.last?.sequence == UInt64(whole + 1), "cut at \(cut)")
                    #expect(changes.last?.op.id == canonical(extra).id, "cut at \(cut)")
                    #expect(Set(try archive.allQuotes().map(\.id)) == liveIDs(after: changes[...]), "cut at \(cut)")
                }
                try FileManager.default.removeItem(atPath: directory)
            }
        }
    }

    @Test(arguments: ["zeros", "garbage"])
    func aTailOfJunkIsCutAndTheWholeRecordsKept(junk: String) async throws {
        try await withTemporaryDirectory { path async throws in
            let ops = try await buildLog(in: path, quotes: 8)
            let image = LogBytes.read(path)
            var generator = SplitMix64(seed: 7)
            let tail = junk == "zeros" ? [UInt8](repeating: 0, count: 4096)
                : (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            LogBytes.write(image + tail, to: path)

            try await withArchive(path) { archive async throws in
                #expect(archive.recoveryReport.records == ops.count)
                #expect(archive.recoveryReport.truncatedAt == image.count)
                #expect(archive.recoveryReport.truncatedBytes == 4096)
                #expect(try archive.allChanges() == ops)
                #expect(LogBytes.read(path) == image)
                _ = await archive.add(makeQuote("After the junk."))
            }
            try await withArchive(path) { archive async throws in
                #expect(archive.recoveryReport.records == ops.count + 1)
                #expect(archive.recoveryReport.truncatedAt == nil)
                #expect(try archive.allChanges().dropLast() == ops[...])
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func aBitFlipInTheMiddleIsCorruptionAndRepairKeepsEveryOtherRecord(seed: UInt64) async throws {
        try await withTemporaryDirectory { root async throws in
            let original = root + "/original"
            let ops = try await buildLog(in: original, quotes: 10)
            let image = LogBytes.read(original)
            let boundaries = LogBytes.recordBoundaries(image)

            var generator = SplitMix64(seed: seed)
            let damaged = Int.random(in: 1..<(ops.count - 1), using: &generator)
            let byte = Int.random(in: boundaries[damaged]..<boundaries[damaged + 1], using: &generator)
            let bit = Int.random(in: 0..<8, using: &generator)
            var flipped = image
            flipped[byte] ^= 1 << bit
            let context = "seed \(seed): record \(damaged), byte \(byte), bit \(bit)"

            let path = root + "/flipped"
            LogBytes.write(flipped, to: path)
            let error = #expect(throws: LogError.self, "\(context)") { _ = try Archive(path: path) }
            if case let .corrupt(_, offset, _) = error {
                #expect(offset == boundaries[damaged], "\(context)")
            } else {
                Issue.record("expected LogError.corrupt, got \(String(describing: error)); \(context)")
            }
            #expect(LogBytes.read(path) == flipped, "a refused log is left alone; \(context)")

            var expected = ops
            expected.remove(at: damaged)
            try await withArchive(path, repair: true) { archive async throws in
                let report = archive.recoveryReport
                #expect(report.records == ops.count - 1, "\(context)")
                #expect(report.skippedSpans.map(\.offset) == [boundaries[damaged]], "\(context)")
                #expect(report.skippedSpans.map(\.bytes) == [boundaries[damaged + 1] - boundaries[damaged]], "\(context)")
                #expect(try archive.allChanges() == expected, "\(context)")
                #expect(Set(try archive.allQuotes().map(\.id)) == liveIDs(after: expected[...]), "\(context)")
            }
            try await withArchive(path) { archive async throws in
                let report = archive.recoveryReport
                #expect(report.records == ops.count - 1, "\(context)")
                #expect(report.skippedSpans.isEmpty && report.truncatedAt == nil, "\(context)")
                #expect(try archive.allChanges() == expected, "\(context)")
                #expect(Set(try archive.allQuotes().map(\.id)) == liveIDs(after: expected[...]), "\(context)")
                _ = await archive.add(makeQuote("After the repair."))
                #expect(archive.statistics.lastSequence == UInt64(ops.count + 1), "\(context)")
            }
        }
    }

    /// Logs of a few megabytes are read and checked as two halves on two threads: the
    /// second finds its first record by trying offsets from the middle. Damage anywhere,
    /// and above all around the middle, must still be found at its exact offset.
    @Test func aLogCheckedInTwoHalvesFindsDamageOnEitherSideOfTheMiddle() async throws {
        try await withTemporaryDirectory { root async throws in
            let original = root + "/original"
            let filler = String(repeating: "words that fill the quote out to a realistic length ", count: 4)
            let ops = try await withArchive(original) { archive async throws in
                for batch in 0..<20 {
                    _ = await archive.add((0..<1_000).map { index in
                        makeQuote("Quote \(batch * 1_000 + index): \(filler)", by: "Speaker \(index % 7)")
                    })
                }
                return try archive.allChanges()
            }
            let image = LogBytes.read(original)
            #expect(image.count > 4 << 20, "big enough for both halves to run in parallel")
            let boundaries = LogBytes.recordBoundaries(image)
            try await withArchive(original) { archive async throws in
                #expect(archive.recoveryReport.records == ops.count)
                #expect(try archive.allChanges() == ops)
            }
            let middleRecord = boundaries.lastIndex { $0 <= image.count / 2 }!
            for damaged in [ops.count / 4, middleRecord - 1, middleRecord, middleRecord + 1, ops.count * 3 / 4] {
                var flipped = image
                // A byte of the quote text, so the header chain stays whole.
                flipped[boundaries[damaged] + 60] ^= 0x01
                let path = root + "/damaged-\(damaged)"
                LogBytes.write(flipped, to: path)
                let error = #expect(throws: LogError.self, "record \(damaged)") { _ = try Archive(path: path) }
                if case let .corrupt(_, offset, _) = error {
                    #expect(offset == boundaries[damaged], "record \(damaged)")
                } else {
                    Issue.record("expected LogError.corrupt, got \(String(describing: error)); record \(damaged)")
                }
                var expected = ops
                expected.remove(at: damaged)
                try await withArchive(path, repair: true) { archive async throws in
                    #expect(archive.recoveryReport.records == ops.count - 1, "record \(damaged)")
                    #expect(try archive.allChanges() == expected, "record \(damaged)")
                }
            }
        }
    }

    @Test func aFileWithTheWrongMagicIsRefusedAndLeftUnchanged() async throws {
        try await withTemporaryDirectory { path async throws in
            let bytes = Array("NOTALOG!".utf8) + [0, 0, 0, 1, 0, 0, 0, 0] + Array("precious data".utf8)
            LogBytes.write(bytes, to: path)
            #expect(throws: LogError.notALog(path: LogBytes.path(in: path))) { _ = try Archive(path: path) }
            #expect(LogBytes.read(path) == bytes)

            let short = Array("QUOTE".utf8)
            LogBytes.write(short, to: path)
            #expect(throws: LogError.notALog(path: LogBytes.path(in: path))) { _ = try Archive(path: path) }
            #expect(LogBytes.read(path) == short)
        }
    }

    /// A log emptied to 0 bytes in a directory that has held an archive is refused, not
    /// served as an empty archive; removing the evidence on purpose starts afresh.
    @Test func anEmptiedLogBesideItsIndexSnapshotIsRefusedAndLeftUnchanged() async throws {
        try await withTemporaryDirectory { path async throws in
            _ = try await buildLog(in: path, quotes: 3)
            #expect(FileManager.default.fileExists(atPath: path + "/indexes"))
            LogBytes.write([], to: path)
            #expect(throws: LogError.emptied(path: LogBytes.path(in: path), evidence: "indexes")) { _ = try Archive(path: path) }
            #expect(LogBytes.read(path).isEmpty)
            try FileManager.default.removeItem(atPath: path + "/indexes")
            try await withArchive(path) { archive async throws in
                #expect(archive.statistics.liveQuotes == 0)
            }
            #expect(LogBytes.read(path).count == LogFormat.headerBytes)
        }
    }

    /// A first open cut short (a node id, an empty log, nothing else) starts afresh.
    @Test func anEmptyLogBesideOnlyANodeIDIsANewArchive() async throws {
        try await withTemporaryDirectory { path async throws in
            try await withArchive(path) { _ in }
            try FileManager.default.removeItem(atPath: path + "/indexes")
            LogBytes.write([], to: path)
            try await withArchive(path) { archive async throws in
                #expect(archive.statistics.liveQuotes == 0)
            }
        }
    }

    @Test func aLogFromANewerVersionIsRefusedAndLeftUnchanged() async throws {
        try await withTemporaryDirectory { path async throws in
            _ = try await buildLog(in: path, quotes: 2)
            var bytes = LogBytes.read(path)
            bytes[8..<12] = [0, 0, 0, 3]
            LogBytes.write(bytes, to: path)
            #expect(throws: LogError.unsupportedVersion(path: LogBytes.path(in: path), version: 3)) {
                _ = try Archive(path: path)
            }
            var repair = Archive.Options()
            repair.repair = true
            #expect(throws: LogError.self) { _ = try Archive(path: path, options: repair) }
            #expect(LogBytes.read(path) == bytes)
        }
    }

    @Test func anEmptyLogFileGetsAHeader() async throws {
        try await withTemporaryDirectory { path async throws in
            LogBytes.write([], to: path)
            try await withArchive(path) { archive async throws in
                #expect(archive.recoveryReport.records == 0)
            }
            #expect(LogBytes.read(path) == LogFormat.header)
        }
    }
}
