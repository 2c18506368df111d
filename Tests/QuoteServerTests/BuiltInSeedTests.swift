import Foundation
@testable import QuoteServer
import Testing

/// The seed quotes are built into quoted: the same bytes as scripts/seed-quotes.jsonl, and
/// what a new data directory gets wherever the server starts.
@Suite struct BuiltInSeedTests {
    @Test func theBuiltInSeedIsTheSeedFileByteForByte() throws {
        let file = try String(contentsOfFile: TestServer.seedPath, encoding: .utf8)
        #expect(BuiltInSeed.jsonLines == file, "scripts/seed-quotes.jsonl changed: paste it into BuiltInSeed.swift")
        #expect(try SeedFile.builtIn().count == 7)
    }

    @Test func aServerStartedFarFromTheCheckoutSeedsTheBuiltInQuotesAndSaysSo() throws {
        let server = try TestServer(defaultSeeding: true, workingDirectory: FileManager.default.temporaryDirectory.path)
        defer { server.removeData() }
        #expect(server.log.contains("archive.seeded source=built-in quotes=7"), "\(server.log)")
        #expect(try server.client().search(.init(speaker: "mark chen")).count == 3)
    }
}
