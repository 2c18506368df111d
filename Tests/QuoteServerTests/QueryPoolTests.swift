import Foundation
import QuoteClient
import QuoteCore
import Testing

/// Expensive reads answered off the event loops: pipelined with cheap ones, every request
/// gets its own answer under its id, whatever the order they come back in, also past the
/// number one connection may have queued in the pool.
@Suite struct QueryPoolTests {
    @Test func pipelinedHeavyAndLightRequestsEachGetTheirAnswer() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let client = try server.client(timeoutSeconds: 60)
        let ids = try client.add((0..<3_000).map { Quote(text: "Pooled quote \($0) about \($0 % 3 == 0 ? "home" : "work")", speaker: "Pool \($0 % 7)") })
            .map(\.id)
        let raw = try RawConnection(server.address)
        try raw.hello()
        var expected: [UInt32: Response] = [:]
        var frames: [UInt8] = []
        var requestID: UInt32 = 10
        // 30 heavy requests (over the 8 a connection may queue) between light ones.
        for index in 0..<30 {
            let heavy: Request
            switch index % 3 {
            case 0: heavy = .count(SearchFilter(words: "home"))
            case 1: heavy = .speakers(query: "pool", limit: 3)
            default: heavy = .count(SearchFilter(words: "\"about work\""))
            }
            requestID += 1
            frames += heavy.frame(requestID: requestID).encoded
            expected[requestID] = try client.send([heavy])[0]
            requestID += 1
            frames += Request.get(ids[index].description).frame(requestID: requestID).encoded
            expected[requestID] = try client.send([.get(ids[index].description)])[0]
        }
        raw.send(frames, timeoutSeconds: 10)
        var answered: [UInt32: Response] = [:]
        while answered.count < expected.count {
            guard let (id, response) = try raw.readResponse(timeoutSeconds: 30) else {
                Issue.record("the connection closed after \(answered.count) answers")
                return
            }
            #expect(answered[id] == nil, "two answers for request \(id)")
            answered[id] = response
        }
        #expect(answered == expected)
        #expect(expected.values.contains(.count(1_000)))
    }
}
