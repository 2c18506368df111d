import Foundation
import QuoteClient
import QuoteCore
import Testing

/// `quotes diff` and `ArchiveDiff` between two real servers: what differs is found in a
/// few round trips, whatever the archives' size, and matches what was done to them.
@Suite struct DiffCommandTests {
    func runDiff(_ a: TestServer, _ b: TestServer, json: Bool = false) throws -> CommandResult {
        try runCommand(TestServer.quotesPath, (json ? ["--json"] : []) + ["diff", a.address.description, b.address.description])
    }

    /// Two servers holding the same `shared` quotes (added in another order on the second).
    func pair(_ shared: [Quote]) throws -> (TestServer, TestServer) {
        let a = try TestServer(arguments: ["--fsync", "never"])
        let b = try TestServer(arguments: ["--fsync", "never"])
        _ = try a.client(timeoutSeconds: 120).add(shared, batchSize: 5_000)
        _ = try b.client(timeoutSeconds: 120).add(shared.reversed(), batchSize: 5_000)
        return (a, b)
    }

    /// The case: 100,000 quotes, 5 differences. The round trips and bytes are
    /// printed for the record; the bound asserted is the descent's, not a time.
    @Test func fiveDifferencesAmongAHundredThousandQuotesInAFewRoundTrips() throws {
        let shared = (0..<100_000).map { Quote(text: "Shared quote \($0) of the comparison", speaker: "Speaker \($0 % 997)") }
        let (a, b) = try pair(shared)
        defer { a.removeData(); b.removeData() }
        let (left, right) = (try a.client(), try b.client())
        #expect(try ArchiveDiff.compare(left, right).isEqual)

        let onlyA = try left.add([Quote(text: "Only A has this one", speaker: "Alpha"), Quote(text: "And this", speaker: "Alpha")]).map(\.id)
        let onlyB = try right.add([Quote(text: "Only B has this one", speaker: "Beta")]).map(\.id)
        let retagged = try right.add([Quote(text: shared[42].text, speaker: shared[42].speaker, tags: ["retagged"])], replace: true)[0]
        #expect(retagged.status == .updated)
        let dropped = try left.add([shared[77]])[0].id
        try right.delete(dropped.description)

        let diff = try ArchiveDiff.compare(left, right)
        let expected: [ArchiveDiff.Difference] = (onlyA.map { .init(id: $0, kind: .onlyInFirst) }
            + onlyB.map { .init(id: $0, kind: .onlyInSecond) }
            + [.init(id: retagged.id, kind: .differs), .init(id: dropped, kind: .onlyInFirst)]).sorted { $0.id < $1.id }
        #expect(diff.differences == expected)
        #expect(diff.liveCounts == (100_002, 100_000))
        // Whole archive, then one byte, then listed two-byte ranges at most.
        #expect(diff.roundTrips <= 3, "\(diff.roundTrips) round trips")
        #expect(diff.bytesReceived < 256 * 1024, "\(diff.bytesReceived) bytes")
        print("diff: 100,000 quotes, 5 differences: \(diff.roundTrips) round trips, \(diff.requests) ranges a side, "
              + "\(diff.bytesSent) bytes sent, \(diff.bytesReceived) received")

        let result = try runDiff(a, b)
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("only in A") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("only in B") }.count == 1)
        #expect(lines.contains { $0.hasPrefix("differs") && $0.contains(retagged.id.short(12)) })
        #expect(lines.contains { $0.contains("B: ") && $0.contains("tags retagged") })
        #expect(result.stderr.contains("5 differences (3 only in A, 1 only in B, 1 differ)"), "\(result.stderr)")
        #expect(result.stderr.contains("(100,002 quotes)"))
    }

    @Test func jsonLinesAndExitCodes() throws {
        let shared = (0..<300).map { Quote(text: "Small shared quote \($0)", speaker: "Few") }
        let (a, b) = try pair(shared)
        defer { a.removeData(); b.removeData() }
        let equal = try runDiff(a, b, json: true)
        #expect(equal.status == 0 && equal.stdout.isEmpty, "\(equal.stdout) \(equal.stderr)")
        #expect(equal.stderr.hasPrefix("The same quotes: A \(a.address) (300 quotes)"), "\(equal.stderr)")

        let added = try a.client().add(Quote(text: "Said on A", speaker: "Alpha", tags: ["a"]))
        let result = try runDiff(a, b, json: true)
        #expect(result.status == 1)
        let objects = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 1)
        #expect(objects.first?["status"] as? String == "only_in_a")
        #expect(objects.first?["id"] as? String == added.description)
        #expect((objects.first?["a"] as? [String: Any])?["text"] as? String == "Said on A")
        #expect(objects.first?["b"] is NSNull)

        // A server that cannot be reached is exit 3, and named.
        let port = try freePort()
        let unreachable = try runCommand(TestServer.quotesPath, ["diff", a.address.description, "127.0.0.1:\(port)"])
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("127.0.0.1:\(port)"), "\(unreachable.stderr)")
        let usage = try runCommand(TestServer.quotesPath, ["diff", a.address.description, "not an address"])
        #expect(usage.status == 2, "\(usage.stderr)")
    }

    /// Random changes on either side, found exactly: the descent against what was done.
    @Test(arguments: [1, 2, 3])
    func randomChangesOnBothSidesAreFoundExactly(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let shared = (0..<3_000).map { Quote(text: "Random diff quote \($0)", speaker: "Speaker \($0 % 13)") }
        let (a, b) = try pair(shared)
        defer { a.removeData(); b.removeData() }
        let sides = [try a.client(), try b.client()]
        var expected: [QuoteID: ArchiveDiff.Kind] = [:]
        for step in 0..<60 {
            let side = Int(random.next() % 2)
            let index = Int(random.next() % UInt64(shared.count))
            let id = try Quote(text: shared[index].text, speaker: shared[index].speaker).canonicalized().id
            guard expected[id] == nil else { continue }
            switch random.next() % 3 {
            case 0:
                let quote = Quote(text: "Fresh quote \(seed)-\(step)", speaker: "Fresh")
                let added = try sides[side].add([quote])[0].id
                expected[added] = side == 0 ? .onlyInFirst : .onlyInSecond
            case 1:
                try sides[side].delete(id.description)
                expected[id] = side == 0 ? .onlyInSecond : .onlyInFirst
            default:
                _ = try sides[side].add([Quote(text: shared[index].text, speaker: shared[index].speaker, tags: ["changed"])], replace: true)
                expected[id] = .differs
            }
        }
        let diff = try ArchiveDiff.compare(sides[0], sides[1])
        #expect(diff.differences == expected.map { ArchiveDiff.Difference(id: $0.key, kind: $0.value) }.sorted { $0.id < $1.id })
    }
}
