import Foundation
import QuoteCore
import Testing

/// Replays every input the fuzzer ever crashed on (Tests/FuzzCorpus/regressions, saved by
/// scripts/fuzz) through the decoders it reached: none may crash; errors are fine.
///
/// An input's first byte chose the fuzz target, so each file is fed both whole and without
/// that byte, to the frame decoder (whole and a byte at a time), to every opcode's request
/// and response decoder, and to the decoders of the structures inside them; quotes that
/// decode are canonicalized, and what canonicalizes is checked to be a fixed point. Log
/// recovery lives in QuoteStore, beyond this target's reach: the second test replays the
/// same files through the `quote-fuzz` replayer, which runs all three fuzz targets exactly.
@Suite struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus/regressions")

    static var files: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test func regressionDirectoryHoldsTheSavedCrashers() {
        #expect(!FuzzRegressionTests.files.isEmpty, "no file in \(FuzzRegressionTests.directory.path)")
    }

    @Test(arguments: FuzzRegressionTests.files.map(\.lastPathComponent))
    func savedCrasherDecodesWithoutCrashing(_ name: String) throws {
        let data = try [UInt8](Data(contentsOf: FuzzRegressionTests.directory.appendingPathComponent(name)))
        for bytes in [data, Array(data.dropFirst()), Array(data.dropFirst(2))] {
            feedFrames(bytes)
            for opcode in 0...255 {
                _ = try? Request.decode(opcode: Opcode(rawValue: UInt8(opcode)), payload: bytes)
                _ = try? Response.decode(opcode: Opcode(rawValue: UInt8(opcode)), payload: bytes)
            }
            decodeStructures(bytes)
        }
    }

    @Test(.enabled(if: replayer != nil, "quote-fuzz was not built next to the tests"))
    func replayerRunsEveryCrasherThroughAllFuzzTargets() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(FuzzRegressionTests.replayer))
        process.arguments = [FuzzRegressionTests.directory.path]
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment["QUOTE_FUZZ_TARGET"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                "quote-fuzz \(FuzzRegressionTests.directory.path) died (status \(process.terminationStatus))")
    }

    /// The replayer built alongside the test bundle, if it was.
    static let replayer: String? = {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("quote-fuzz").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    func feedFrames(_ bytes: [UInt8]) {
        var whole = FrameDecoder(maxFrameBytes: 4096)
        whole.append(bytes)
        var trickle = FrameDecoder(maxFrameBytes: 4096)
        var wholeFrames: [Frame] = []
        var trickledFrames: [Frame] = []
        while let frame = try? whole.next() { wholeFrames.append(frame) }
        for byte in bytes {
            trickle.append([byte])
            guard let frame = try? trickle.next() else { continue }
            trickledFrames.append(frame)
        }
        #expect(trickledFrames == wholeFrames)
        for frame in wholeFrames {
            if let request = try? Request.decode(opcode: frame.opcode, payload: frame.payload) {
                #expect(request.frame(requestID: frame.requestID) == frame)
                if case let .add(quotes, _) = request { quotes.forEach(canonicalize) }
            }
            if let response = try? Response.decode(opcode: frame.opcode, payload: frame.payload) {
                #expect(response.frame(requestID: frame.requestID) == frame)
            }
        }
    }

    func decodeStructures(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        if let quote = try? Quote.decode(from: &reader) { canonicalize(quote) }
        reader = ByteReader(bytes)
        if let op = try? Op.decode(from: &reader), let quote = op.quote { canonicalize(quote) }
        reader = ByteReader(bytes)
        if let sequenced = try? SequencedOp.decode(from: &reader), let quote = sequenced.op.quote { canonicalize(quote) }
        reader = ByteReader(bytes)
        if let archived = try? ArchivedQuote.decode(from: &reader) { canonicalize(archived.quote) }
        reader = ByteReader(bytes)
        _ = try? SearchFilter.decode(from: &reader)
        _ = QuoteIDPrefix(hex: String(decoding: bytes, as: UTF8.self))
    }

    func canonicalize(_ quote: Quote) {
        guard let canonical = try? quote.canonicalized() else { return }
        var once = ByteWriter()
        canonical.encode(into: &once)
        var twice = ByteWriter()
        (try? canonical.canonicalized())?.encode(into: &twice)
        #expect(twice.bytes == once.bytes, "canonicalization is not a fixed point")
    }
}
