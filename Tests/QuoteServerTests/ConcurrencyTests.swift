import Foundation
import QuoteClient
import QuoteCore
import Synchronization
import Testing

/// Many clients and pipelined requests against one server.
@Suite struct ConcurrencyTests {
    @Test func sixtyFourClientsAddingAtOnceAllLand() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let failures = Atomic<Int>(0)
        let group = DispatchGroup()
        for clientIndex in 0..<64 {
            group.enter()
            let address = server.address
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let client = try ArchiveClient(address: address)
                    for index in 0..<20 {
                        _ = try client.add(Quote(text: "Concurrent \(clientIndex)/\(index)", speaker: "Client \(clientIndex)"))
                    }
                } catch {
                    failures.wrappingAdd(1, ordering: .relaxed)
                }
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(try server.client().digest().liveCount == 64 * 20)
    }

    /// A window of requests in flight: each answer comes back in request order, an ERROR
    /// among them is handed on like any other, and never more than the window is unanswered.
    @Test func aWindowOfRequestsInFlightAnswersInOrder() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let client = try server.client(timeoutSeconds: 30)
        var made = 0
        var answers: [Response] = []
        var mostInFlight = 0
        try client.send(window: 3, next: { () -> Request? in
            guard made < 40 else { return nil }
            defer { made += 1 }
            mostInFlight = max(mostInFlight, made - answers.count + 1)
            // Request 17 is refused: an id prefix of no quote.
            return made == 17 ? .get("0000000000") : .add([Quote(text: "Windowed \(made)", speaker: "Window")], replace: false)
        }, onResponse: { answers.append($0) })
        #expect(answers.count == 40)
        #expect(mostInFlight <= 3)
        for (index, answer) in answers.enumerated() {
            switch answer {
            case .error(let code, _): #expect(index == 17 && code == .notFound, "answer \(index): \(code)")
            case .added(let results):
                #expect(index != 17 && results.map(\.status) == [.added], "answer \(index)")
            default: Issue.record("answer \(index): \(answer.opcode)")
            }
        }
        #expect(try client.digest().liveCount == 39)
        // Nothing to send: no request, no wait.
        try client.send(window: 4, next: { nil }, onResponse: { _ in Issue.record("no request was made") })
        // A caller that stops early with answers still due leaves the connection unusable,
        // rather than handing those answers to the next call.
        var sent = 0
        #expect(throws: ClientError.self) {
            try client.send(window: 4, next: { () -> Request? in
                defer { sent += 1 }
                return sent < 10 ? .ping([]) : nil
            }, onResponse: { (_) throws(ClientError) in throw .protocolViolation("the caller gave up") })
        }
        #expect(throws: ClientError.self) { _ = try client.ping() }
        #expect(try server.client().digest().liveCount == 39)
    }

    @Test func pipelinedBatchesOfThousandsArriveInOneRoundTrip() throws {
        let server = try TestServer()
        defer { server.removeData() }
        let client = try server.client(timeoutSeconds: 60)
        let quotes = (0..<20_000).map { Quote(text: "Pipelined quote \($0)", speaker: "Batch \($0 % 100)", tags: ["bulk"]) }
        let results = try client.add(quotes, batchSize: 2_000)
        #expect(results.count == 20_000)
        #expect(results.allSatisfy { $0.status == .added })
        let again = try client.add(quotes, batchSize: 5_000)
        #expect(again.allSatisfy { $0.status == .alreadyPresent })
        #expect(try client.search(SearchFilter(tags: ["bulk"])).count == 20_000)

        let pings = try client.send((0..<500).map { .ping(Array("p\($0)".utf8)) })
        #expect(pings == (0..<500).map { .pong(Array("p\($0)".utf8)) })
    }
}
