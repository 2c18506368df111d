import Foundation
import QuoteClient
import QuoteCore
import Synchronization
import Testing

/// Restarts, kills, and what survives them: tested with real processes and SIGKILL.
@Suite struct DurabilityTests {
    @Test func everythingSurvivesAGracefulRestart() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let quotes = (0..<500).map { Quote(text: "Restart quote number \($0)", speaker: "Speaker \($0 % 7)", date: try? QuoteDate(parsing: "20\(10 + $0 % 10)")) }
        _ = try server.client().add(quotes)
        let before = try server.client().digest()
        #expect(server.log.contains("archive.indexes source=built reason=\"no index snapshot\""))
        #expect(server.stop(signal: SIGTERM) == 0)
        #expect(server.log.contains("archive.closed index_snapshot=written"), "a clean stop saves the indexes")
        try server.start()
        #expect(server.log.contains("archive.indexes source=snapshot snapshot_quotes=500 tail_quotes=0"))
        let after = try server.client().digest()
        #expect(after.liveCount == 500)
        #expect(after.digest == before.digest)
        #expect(try server.client().search(SearchFilter(speaker: "speaker 3")).count == quotes.indices.filter { $0 % 7 == 3 }.count)
    }

    @Test func aKillAfterTheIndexSnapshotLosesNoSearchResult() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let quotes = (0..<500).map { Quote(text: "Snapshot quote number \($0)", speaker: "Speaker \($0 % 7)") }
        _ = try server.client().add(Array(quotes[..<300]))
        #expect(server.stop(signal: SIGTERM) == 0)
        try server.start()
        _ = try server.client().add(Array(quotes[300...]))
        server.stop(signal: SIGKILL)
        try server.start()
        #expect(server.log.contains("archive.indexes source=snapshot snapshot_quotes=300 tail_quotes=200"), "\(server.log)")
        let client = try server.client()
        #expect(try client.search(SearchFilter(speaker: "speaker 3")).count == quotes.indices.filter { $0 % 7 == 3 }.count)
        #expect(try client.search(SearchFilter(words: "snapshot")).count == 500)
    }

    @Test func everyAcknowledgedAddSurvivesKillNine() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let acknowledged = Mutex<[QuoteID]>([])
        let stop = Atomic<Bool>(false)
        let writers = DispatchGroup()
        for writer in 0..<4 {
            writers.enter()
            let address = server.address
            Thread.detachNewThread {
                defer { writers.leave() }
                guard let client = try? ArchiveClient(address: address, timeoutSeconds: 5) else { return }
                for index in 0..<5_000 where !stop.load(ordering: .relaxed) {
                    let quote = Quote(text: "Acknowledged \(writer)-\(index)", speaker: "Writer \(writer)")
                    guard let id = try? client.add(quote) else { return }
                    acknowledged.withLock { $0.append(id) }
                }
            }
        }
        // Let the writers get going, then kill without warning mid-stream.
        let deadline = Date().addingTimeInterval(10)
        while acknowledged.withLock({ $0.count }) < 300 && Date() < deadline { usleep(10_000) }
        server.stop(signal: SIGKILL)
        stop.store(true, ordering: .relaxed)
        writers.wait()
        let ids = acknowledged.withLock { $0 }
        #expect(ids.count >= 300)

        try server.start()
        let client = try server.client()
        var missing = 0
        for id in ids where (try? client.get(id.description)) == nil { missing += 1 }
        #expect(missing == 0, "\(missing) of \(ids.count) acknowledged adds were lost")
    }

    @Test func secondServerOnTheSameDirectoryExitsAtOnce() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let result = try runCommand(TestServer.quotedPath, ["--listen", "127.0.0.1:0", "--data", server.dataDirectory, "--no-seed"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("already in use"))
        #expect(try server.client().ping() >= 0)
    }
}
