import Foundation
import QuoteClient
import QuoteCore
import Testing

/// The change feed both replication paths read, against a real quoted.
@Suite struct ChangeFeedTests {
    @Test func aFeedFromZeroDeliversEveryOpOnceInOrderThenSaysItIsCurrent() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let client = try server.client()
        let ids = try (0..<5).map { try client.add(Quote(text: "Feed quote \($0)", speaker: "Feeder")) }
        _ = try client.delete(ids[2].description)
        var sequences: [UInt64] = []
        var last: ChangeFeed.Page?
        try ChangeFeed(try server.client(), since: 0).read { page in
            sequences += page.ops.map(\.sequence)
            last = page
            return !page.ops.isEmpty
        }
        #expect(sequences == Array(1...6))
        let current = try #require(last)
        #expect(current.ops.isEmpty && current.lastSequence == 6 && current.receivedThrough == 6 && current.backlog == 0)
    }

    @Test func theBacklogIsWhatThePeerHoldsBeyondWhatTheFeedReceived() throws {
        let server = try TestServer(arguments: ["--fsync", "never"])
        defer { server.removeData() }
        let count = Int(ChangeFeed.pageOps) + 500
        _ = try server.client().add((0..<count).map { Quote(text: "Backlog quote \($0)", speaker: "Counter") }, batchSize: 1_000)
        var pages: [ChangeFeed.Page] = []
        try ChangeFeed(try server.client(), since: 100).read { page in
            pages.append(page)
            return !page.ops.isEmpty
        }
        let first = try #require(pages.first)
        #expect(first.ops.first?.sequence == 101)
        // The server may cut a page early; whatever it sent, the backlog is the rest.
        #expect(first.backlog == UInt64(count) - first.receivedThrough)
        #expect(pages.last?.backlog == 0 && pages.last?.receivedThrough == UInt64(count))
    }

    @Test func aFollowingFeedHearsAnOpAddedAfterItWasCurrent() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let writer = try server.client()
        _ = try writer.add(Quote(text: "Before the feed", speaker: "Early"))
        var heard: [SequencedOp] = []
        try ChangeFeed(try server.client(), since: 0).read { page in
            heard += page.ops
            if page.ops.isEmpty && heard.count == 1 {
                _ = try writer.add(Quote(text: "After the feed was current", speaker: "Late"))
            }
            return heard.count < 2
        }
        #expect(heard.map(\.sequence) == [1, 2])
        #expect(heard.last?.op.quote?.speaker == "Late")
    }

    @Test func aServerErrorEndsTheFeedAsAServerError() throws {
        let (directory, tokens) = try AuthenticationTests().directoryWithTokens()
        let server = try TestServer(dataDirectory: directory)
        defer { server.removeData() }
        let reader = try ArchiveClient(address: server.address, token: tokens[.read])
        #expect(throws: ClientError.server(code: .permissionDenied, message: "a read token may not send CHANGES")) {
            try ChangeFeed(reader, since: 0).read { _ in true }
        }
    }
}
