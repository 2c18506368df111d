import Foundation
import QuoteClient
import QuoteCore
import Testing

/// The upgrade of a version-1 data directory (committed under Tests/Fixtures/archive-v1,
/// made by the previous build) to format version 2, run by a real `quoted`, whole and
/// killed at each of its steps.
@Suite struct UpgradeTests {
    static let fixture = TestServer.repositoryRoot.appendingPathComponent("Tests/Fixtures/archive-v1")

    /// A copy of the fixture in a new temporary directory.
    static func copyFixture() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quoted-upgrade-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in ["quotes.log", "node-id", "indexes"] {
            try FileManager.default.copyItem(atPath: fixture.appendingPathComponent(file).path, toPath: path + "/" + file)
        }
        return path
    }

    static func logVersion(_ path: String) throws -> UInt32 {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/quotes.log")).prefix(16))
        return bytes[8..<12].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// What the upgraded fixture must hold: checked through the protocol, as a client sees it.
    static func expectUpgradedContent(_ client: ArchiveClient) throws {
        let all = try client.search(SearchFilter())
        #expect(all.count == 11)
        #expect(Set(all.map(\.id)).count == 11)
        #expect(all.allSatisfy { $0.id == $0.quote.id }, "every id is recomputed from text and speaker")
        let turner = try #require(all.first { $0.quote.speaker == "Ted Turner" })
        #expect(turner.quote.source == "fortunes" && turner.quote.tags.isEmpty)
        #expect(turner.origin == 0x23da_cd7f_aa1f_e3c6, "the latest put, replicated from the second node, won")
        let dijkstra = try #require(all.first { $0.quote.speaker == "Edsger W. Dijkstra" })
        #expect(dijkstra.quote.date == (try QuoteDate(parsing: "1975-06-18")) && dijkstra.quote.source == "EWD498")
        let kept = try #require(all.first { $0.quote.speaker == "Somebody" })
        #expect(kept.quote.tags == ["keep"], "a live quote wins over a deleted one with the same words")
        #expect(all.contains { $0.quote.speaker == "Remote Speaker" && $0.origin == 0x23da_cd7f_aa1f_e3c6 })
        #expect(throws: ClientError.self) { try client.get(Quote(text: "Gone today.", speaker: "Nobody").id.description) }
        let stats = try client.stats()
        #expect(stats.first { $0.name == "quotes.deleted" }?.value == .integer(1))
        #expect(try client.search(SearchFilter(speaker: "chen")).count == 3)
        #expect(try client.search(SearchFilter(tags: ["remote"])).count == 1)
    }

    @Test func theCommittedVersionOneArchiveUpgradesToTheExpectedQuotes() throws {
        let path = try Self.copyFixture()
        let server = try TestServer(dataDirectory: path)
        defer { server.removeData() }
        let client = try server.client()
        try Self.expectUpgradedContent(client)
        #expect(client.server.nodeID == 0x4722_a743_9a93_4162, "the node id is kept")
        let upgraded = try #require(server.logLines.first { $0.contains("archive.upgraded") })
        for field in ["from_version=1", "to_version=2", "old_records=18", "live_quotes=11", "tombstones=1", "merged=4",
                      "dropped_tombstones=0"] {
            #expect(upgraded.contains(field), "\(field) missing from: \(upgraded)")
        }
        #expect(try Self.logVersion(path) == 2)
        #expect(!FileManager.default.fileExists(atPath: path + "/quotes.log.v1"), "the old log is removed once the new one opened")
        #expect(!FileManager.default.fileExists(atPath: path + "/quotes.log.upgrade"))
        let digest = try client.digest()

        // The next start opens version 2 as it is: no second upgrade, the same archive.
        server.stop()
        try server.start()
        #expect(!server.logLines.contains { $0.contains("archive.upgraded") })
        let again = try server.client()
        try Self.expectUpgradedContent(again)
        #expect(try again.digest() == digest)
    }

    /// Killed (SIGKILL) after each step of the upgrade, the directory holds either the whole
    /// version-1 log or the whole version-2 one; the next start finishes the job and ends
    /// with the same archive as an upgrade that ran through.
    @Test(arguments: ["written", "cleared", "kept", "renamed"])
    func aKillAtAnyStepOfTheUpgradeLeavesAWholeArchive(step: String) throws {
        let reference = try TestServer(dataDirectory: try Self.copyFixture())
        defer { reference.removeData() }
        let expected = try reference.client().digest()

        let path = try Self.copyFixture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Under timeout(1), so a hook that never fires fails the test (status 124) instead of
        // hanging it; timeout passes a child's SIGKILL on (status 9, or 128 + 9 from a shell).
        let killed = try runCommand("/usr/bin/env", ["timeout", "60", TestServer.quotedPath, "--listen", "127.0.0.1:0",
                                                     "--data", path, "--no-seed"],
                                    environment: ["QUOTE_ARCHIVE_CRASH_AFTER": "upgrade-" + step])
        #expect([SIGKILL, 128 + SIGKILL].contains(killed.status), "quoted was to kill itself after \(step): \(killed.stderr)")
        let version = try Self.logVersion(path)
        #expect(version == (step == "renamed" ? 2 : 1))
        if step == "kept" || step == "renamed" {
            #expect(FileManager.default.fileExists(atPath: path + "/quotes.log.v1"), "the old log is kept beside the new one")
        }

        let server = try TestServer(dataDirectory: path)
        defer { server.stop(signal: SIGKILL) }
        let client = try server.client()
        try Self.expectUpgradedContent(client)
        #expect(try client.digest().digest == expected.digest)
        #expect(try Self.logVersion(path) == 2)
        #expect(!FileManager.default.fileExists(atPath: path + "/quotes.log.v1"))
    }

    /// A version-1 client is told what to upgrade, and the connection closes.
    @Test func aVersionOneClientIsToldToUpgrade() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let raw = try RawConnection(server.address)
        raw.send(Request.hello(Hello(minVersion: 1, maxVersion: 1, clientName: "old")).frame(requestID: 1).encoded)
        guard case let (1, .error(code, message))? = try raw.readResponse() else {
            Issue.record("no ERROR for a version-1 HELLO")
            return
        }
        #expect(code == .unsupportedVersion)
        #expect(message.contains("speaks protocol version 2") && message.contains("upgrade the client"))
    }
}
