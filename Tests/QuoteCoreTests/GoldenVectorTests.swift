import Foundation
import QuoteCore
import Testing

/// Checks the core against Protocol/vectors/: every file decodes to its catalog value and
/// re-encodes byte for byte, and vectors.json describes exactly those files.
///
/// With `QUOTES_REGENERATE_VECTORS=1` the files are first rewritten from the catalog.
@Suite struct GoldenVectorTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/vectors")

    /// Rewrites the vector files once per run when asked to; every test reads through this.
    static let files: URL = {
        if ProcessInfo.processInfo.environment["QUOTES_REGENERATE_VECTORS"] == "1" {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                for vector in GoldenVectorCatalog.all {
                    try Data(vector.bytes).write(to: directory.appendingPathComponent(vector.file))
                }
                try Data(catalogJSON.utf8).write(to: directory.appendingPathComponent("vectors.json"))
            } catch {
                preconditionFailure("cannot write the golden vectors to \(directory.path): \(error)")
            }
        }
        return directory
    }()

    /// vectors.json as the catalog defines it.
    static var catalogJSON: String {
        JSONValue.object([
            ("format", .string("quote archive protocol golden vectors, version 1")),
            ("vectors", .array(GoldenVectorCatalog.all.map(\.json))),
        ]).rendered() + "\n"
    }

    @Test(arguments: GoldenVectorCatalog.all)
    func vectorFileDecodesToItsValueAndReencodesByteForByte(_ vector: GoldenVector) throws {
        let data = try Data(contentsOf: GoldenVectorTests.files.appendingPathComponent(vector.file))
        try vector.verify(Array(data))
    }

    @Test func vectorsJSONDescribesEveryVectorAsTheCatalogDoes() throws {
        let data = try Data(contentsOf: GoldenVectorTests.files.appendingPathComponent("vectors.json"))
        #expect(String(decoding: data, as: UTF8.self) == GoldenVectorTests.catalogJSON)
    }

    @Test func everyBinaryFileInTheDirectoryIsACatalogVector() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: GoldenVectorTests.files.path)
        let binaries = Set(names.filter { $0.hasSuffix(".bin") })
        #expect(binaries == Set(GoldenVectorCatalog.all.map(\.file)))
    }

    @Test func everyRequestAndResponseOpcodeHasAVector() {
        var covered = Set<UInt8>()
        for vector in GoldenVectorCatalog.all {
            switch vector.content {
            case let .request(request, _): covered.insert(request.opcode.rawValue)
            case let .response(response, _): covered.insert(response.opcode.rawValue)
            default: break
            }
        }
        let expected = Set(Opcode.requests.flatMap { [$0.rawValue, $0.response.rawValue] } + [Opcode.error.rawValue])
        #expect(covered == expected)
    }

    @Test func markChenQuoteHasThePublishedID() {
        #expect(Samples.id(of: Samples.markChen).description == "f6a039889fcdae5b45b4399b6d30c726")
    }

    @Test func quoteOfTheDayNumberIsDaysSinceTheUnixEpoch() {
        let epoch = QuoteDate.dayNumber(year: 1970, month: 1, day: 1)
        #expect(UInt32(QuoteDate.dayNumber(year: 2025, month: 6, day: 28) - epoch) == Samples.quoteDay)
    }

    @Test func digestVectorIsTheModularSumOfItsArchiveTerms() throws {
        let vector = try #require(GoldenVectorCatalog.all.first { $0.file == "digest_ok.bin" })
        let data = try Data(contentsOf: GoldenVectorTests.files.appendingPathComponent(vector.file))
        // The content digest, then the ops digest: the last 64 bytes of the frame.
        #expect(Array(data.suffix(64).prefix(32)) == GoldenVectorCatalog.contentDigest(of: GoldenVectorCatalog.digestArchive))
        #expect(Array(data.suffix(32)) == GoldenVectorCatalog.opsDigest(of: GoldenVectorCatalog.digestArchive))
    }
}
