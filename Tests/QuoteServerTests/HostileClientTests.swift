import Foundation
import QuoteClient
import QuoteCore
import QuotePOSIX
import Testing

/// Clients that lie, stall, flood and send garbage, against a real `quoted`.
///
/// Each test runs its hostile client beside a well-behaved one (the bystander) and then
/// checks three things: the bystander is still served, the archive's DIGEST did not move,
/// and the server's resident memory (VmRSS in /proc/PID/status) grew by less than 64 MB.
/// LimitTests covers each limit's documented error; this suite pushes them at scale.
@Suite(.serialized) struct HostileClientTests {
    static let maxGrowthBytes = 64 << 20

    /// Runs `body` against a seeded server and checks bystander, digest and memory after it.
    func withHostileClient(arguments: [String] = [], _ body: (TestServer, ArchiveClient) throws -> Void) throws {
        let server = try TestServer(seeded: true, arguments: arguments)
        defer { server.removeData() }
        let bystander = try server.client()
        let before = try bystander.digest()
        // Warm up the paths a request takes so their first allocations are not counted.
        for _ in 0..<20 { _ = try bystander.search(SearchFilter(speaker: "chen")) }
        let rssBefore = try HostileClientTests.residentBytes(of: server)
        try body(server, bystander)
        #expect(try bystander.ping() >= 0)
        #expect(try bystander.search(SearchFilter(speaker: "chen")).count >= 2)
        #expect(try bystander.digest() == before)
        let rssAfter = try HostileClientTests.residentBytes(of: server)
        #expect(rssAfter - rssBefore < HostileClientTests.maxGrowthBytes,
                "quoted grew from \(rssBefore >> 20) MB to \(rssAfter >> 20) MB")
        print("hostile: RSS \(rssBefore >> 10) KB -> \(rssAfter >> 10) KB")
    }

    /// VmRSS of the server process, in bytes.
    static func residentBytes(of server: TestServer) throws -> Int {
        let pid = try #require(server.process?.processIdentifier)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes * 1024
    }

    /// The next answer on `connection` must be ERROR `code`, and the server must close.
    func expectFatal(_ connection: RawConnection, _ code: ErrorCode, _ context: String = "") throws {
        let answer = try connection.readResponse()
        guard case let .error(received, message)? = answer?.1 else {
            Issue.record("\(context): expected \(code.name), got \(String(describing: answer))")
            return
        }
        #expect(received == code, "\(context): \(message)")
        #expect(connection.isClosedByServer(), "\(context): the connection stayed open")
    }

    static func frameHeader(length: UInt32, opcode: UInt8, requestID: UInt32 = 1) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(length)
        writer.writeInteger(opcode)
        writer.writeInteger(requestID)
        return writer.bytes
    }

    // MARK: Lengths

    @Test func lengthsThatLieAndHangUpCostNothing() throws {
        try withHostileClient { server, bystander in
            var random = SystemRandomNumberGenerator()
            var holding: [RawConnection] = []
            for index in 0..<200 {
                let liar = try RawConnection(server.address)
                if index % 2 == 0 { try liar.hello() }
                let declared = UInt32.random(in: 5...UInt32(Frame.defaultMaxFrameBytes), using: &random)
                let sent = Int.random(in: 0..<min(Int(declared) - 5, 4096) + 1, using: &random)
                liar.send(HostileClientTests.frameHeader(length: declared, opcode: Opcode.add.rawValue)
                          + [UInt8](repeating: 0x41, count: sent))
                // Most hang up at once; some hold their half-frame open until the end.
                if index % 10 == 0 { holding.append(liar) }
            }
            // Sixteen connections each buffering most of a maximal frame: bounded by the frame limit.
            for _ in 0..<16 {
                let liar = try RawConnection(server.address)
                try liar.hello()
                liar.send(HostileClientTests.frameHeader(length: UInt32(Frame.defaultMaxFrameBytes), opcode: Opcode.ping.rawValue)
                          + [UInt8](repeating: 0, count: Frame.defaultMaxFrameBytes - 64))
                holding.append(liar)
            }
            #expect(try bystander.ping() >= 0)
            let holdingBytes = try HostileClientTests.residentBytes(of: server)
            print("hostile: RSS with 16 almost whole 1 MiB frames buffered: \(holdingBytes >> 10) KB")
            holding.removeAll()
        }
    }

    @Test func oversizeLengthsUpToFourGigabytesAreRefusedWithoutBuffering() throws {
        try withHostileClient { server, _ in
            let lengths: [UInt32] = [UInt32(Frame.defaultMaxFrameBytes) + 1, 16 << 20, 1 << 30, 0x8000_0000, 0xFFFF_FFFF]
            for length in lengths {
                for greeted in [false, true] {
                    let raw = try RawConnection(server.address)
                    if greeted { try raw.hello() }
                    raw.send(HostileClientTests.frameHeader(length: length, opcode: Opcode.add.rawValue) + [0, 0, 0, 1])
                    try expectFatal(raw, .frameTooLarge, "length \(length)")
                }
            }
            for length: UInt32 in 0...4 {
                let raw = try RawConnection(server.address)
                try raw.hello()
                raw.send(HostileClientTests.frameHeader(length: length, opcode: Opcode.ping.rawValue))
                try expectFatal(raw, .malformedPayload, "length \(length)")
            }
        }
    }

    // MARK: Slow and silent clients

    @Test func slowlorisSendingAByteEveryHalfSecondDoesNotDelayOthers() throws {
        try withHostileClient(arguments: ["--idle-timeout", "2"]) { server, bystander in
            let slow = try RawConnection(server.address)
            let hello = Request.hello(Hello(clientName: "slowloris")).frame(requestID: 1).encoded
            var slowest = 0.0
            // Eight bytes, 0.5 s apart: 4 s in all, longer than the 2 s idle timeout, which
            // counts silence, not the time a frame takes.
            for byte in hello.prefix(8) {
                slow.send([byte])
                let deadline = Date().addingTimeInterval(0.5)
                while Date() < deadline {
                    slowest = max(slowest, try bystander.ping())
                    usleep(20_000)
                }
            }
            slow.send(Array(hello.dropFirst(8)))
            let answer = try slow.readResponse()
            guard case .hello? = answer?.1 else {
                Issue.record("the slow HELLO got \(String(describing: answer))")
                return
            }
            #expect(slowest < 0.5, "a ping took \(slowest) s while the slow client dripped")
        }
    }

    @Test func aThousandAbandonedConnectionsAreReclaimed() throws {
        // All from one address, so past the default cap of 256 per address.
        try withHostileClient(arguments: ["--max-connections-per-address", "0"]) { server, bystander in
            var connections: [RawConnection] = []
            for index in 0..<1_000 {
                let raw = try RawConnection(server.address)
                switch index % 4 {
                case 0: break
                case 1: raw.send(Array(Request.hello(Hello(clientName: "half")).frame(requestID: 1).encoded.prefix(7)))
                case 2: try raw.hello()
                default:
                    try raw.hello()
                    raw.send(HostileClientTests.frameHeader(length: 4096, opcode: Opcode.ping.rawValue) + [1, 2, 3])
                }
                if index % 3 == 0 {
                    // Closing with a reset (SO_LINGER 0) instead of a FIN.
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(raw.descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                }
                connections.append(raw)
            }
            #expect(try HostileClientTests.openConnections(bystander) >= 900)
            print("hostile: RSS with 1,000 connections open: \(try HostileClientTests.residentBytes(of: server) >> 10) KB")
            #expect(try bystander.search(SearchFilter(speaker: "chen")).count >= 2)
            connections.removeAll()
            let deadline = Date().addingTimeInterval(15)
            var open = try HostileClientTests.openConnections(bystander)
            while open > 1 && Date() < deadline {
                usleep(50_000)
                open = try HostileClientTests.openConnections(bystander)
            }
            #expect(open == 1, "\(open) connections still open after all but the bystander closed")
        }
    }

    static func openConnections(_ client: ArchiveClient) throws -> Int {
        for entry in try client.stats() where entry.name == "connections.open" {
            if case let .integer(value) = entry.value { return Int(value) }
        }
        throw TestServerError(description: "no connections.open in STATS")
    }

    @Test func aClientThatNeverReadsIsPausedNotBufferedWithoutBound() throws {
        try withHostileClient { server, bystander in
            let raw = try RawConnection(server.address)
            try raw.hello()
            // 60 KiB pings whose 60 KiB answers are never read: without pacing, 2 s of this
            // is gigabytes of queued responses.
            let ping = Request.ping([UInt8](repeating: 0x5A, count: 60 * 1024)).frame(requestID: 2).encoded
            var sent = 0
            let deadline = Date().addingTimeInterval(2)
            while Date() < deadline {
                let count = ping.withUnsafeBytes { Glibc.send(raw.descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
                if count > 0 { sent += count } else { usleep(10_000) }
                if sent % (4 << 20) < ping.count { _ = try bystander.ping() }
            }
            #expect(try bystander.ping() < 0.5)
            print("hostile: the non-reader got \(sent >> 20) MB in before the server stopped reading")
        }
    }

    // MARK: Garbage

    static let invalidUTF8: [[UInt8]] = [[0xC3, 0x28], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]]

    @Test func invalidUTF8InAnyStringFieldIsMalformed() throws {
        try withHostileClient { server, _ in
            for bad in HostileClientTests.invalidUTF8 {
                for (field, payload) in HostileClientTests.payloads(withString: bad) {
                    let raw = try RawConnection(server.address)
                    try raw.hello()
                    raw.send(Frame(opcode: payload.opcode, requestID: 3, payload: payload.bytes).encoded)
                    try expectFatal(raw, .malformedPayload, "\(field) holding \(bad)")
                }
                var writer = ByteWriter()
                writer.writeBytes(Hello.magic)
                writer.writeInteger(UInt16(1))
                writer.writeInteger(UInt16(1))
                writer.writeLengthPrefixed(bad)
                writer.writeLengthPrefixed([UInt8]())
                let raw = try RawConnection(server.address)
                raw.send(Frame(opcode: .hello, requestID: 1, payload: writer.bytes).encoded)
                try expectFatal(raw, .handshakeRequired, "client_name holding \(bad)")
            }
        }
    }

    /// A request per string field, with `bad` as that field's bytes.
    static func payloads(withString bad: [UInt8]) -> [(String, (opcode: Opcode, bytes: [UInt8]))] {
        func quote(_ field: Int) -> [UInt8] {
            var writer = ByteWriter()
            writer.writeInteger(UInt32(1))
            for index in 0..<2 { field == index ? writer.writeLengthPrefixed(bad) : writer.writeString("ok") }
            writer.writeBytes([0, 0, 0, 0])
            for index in 2..<4 { field == index ? writer.writeLengthPrefixed(bad) : writer.writeString("") }
            writer.writeInteger(UInt32(1))
            field == 4 ? writer.writeLengthPrefixed(bad) : writer.writeString("tag")
            return writer.bytes
        }
        func filter(_ field: Int) -> [UInt8] {
            var writer = ByteWriter()
            field == 0 ? writer.writeLengthPrefixed(bad) : writer.writeString("")
            writer.writeBytes([UInt8](repeating: 0, count: 8))
            field == 1 ? writer.writeLengthPrefixed(bad) : writer.writeString("")
            writer.writeInteger(UInt32(1))
            field == 2 ? writer.writeLengthPrefixed(bad) : writer.writeString("tag")
            field == 3 ? writer.writeLengthPrefixed(bad) : writer.writeString("")
            writer.writeInteger(UInt32(10))
            writer.writeLengthPrefixed([UInt8]())
            return writer.bytes
        }
        var id = ByteWriter()
        id.writeLengthPrefixed(bad)
        return [("GET id", (.get, id.bytes)), ("DELETE id", (.delete, id.bytes))]
            + ["text", "speaker", "source", "lang", "tag"].enumerated().map { ("ADD \($1)", (.add, quote($0))) }
            + ["speaker", "words", "tag", "lang"].enumerated().map { ("SEARCH \($1)", (.search, filter($0))) }
    }

    @Test func hugeCountsInSmallFramesAndOversizedBatchesAreRefused() throws {
        try withHostileClient { server, _ in
            let liars: [(String, Opcode, [UInt8])] = [
                ("ADD of 4 billion quotes", .add, [0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 24)),
                ("APPLY of 4 billion ops", .apply, [0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 33)),
                ("a quote with 4 billion tags", .add, [0, 0, 0, 1] + [UInt8](repeating: 0, count: 20) + [0xFF, 0xFF, 0xFF, 0xFF]),
                ("a filter with 4 billion tags", .search, [UInt8](repeating: 0, count: 16) + [0xFF, 0xFF, 0xFF, 0xFF] + [0, 0, 0, 0]),
                ("a text of 4 GiB", .add, [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x41]),
            ]
            for (name, opcode, payload) in liars {
                let raw = try RawConnection(server.address)
                try raw.hello()
                raw.send(Frame(opcode: opcode, requestID: 4, payload: payload).encoded)
                try expectFatal(raw, .malformedPayload, name)
            }

            // 10,001 quotes: decoded, then refused whole, and the connection stays usable.
            let raw = try RawConnection(server.address)
            try raw.hello()
            let tooMany = (0...Request.maxBatchCount).map { Quote(text: "q\($0)", speaker: "s") }
            raw.send(Request.add(tooMany).frame(requestID: 5).encoded)
            let answer = try raw.readResponse()
            guard case let (5, .error(code, _))? = answer else {
                Issue.record("10,001 quotes got \(String(describing: answer))")
                return
            }
            #expect(code == .batchTooLarge)
            raw.send(.ping([7]), id: 6)
            #expect(try raw.readResponse()?.1 == .pong([7]))

            // Nearly the most strings one frame can hold: 1,800 quotes of 128 empty tags, every one
            // rejected (an empty tag is invalid), nothing stored.
            var writer = ByteWriter()
            writer.writeInteger(UInt8(0))
            writer.writeInteger(UInt32(1_800))
            for index in 0..<1_800 {
                writer.writeString("nested \(index)")
                writer.writeString("s")
                writer.writeBytes([0, 0, 0, 0])
                writer.writeString("")
                writer.writeString("")
                writer.writeInteger(UInt32(128))
                for _ in 0..<128 { writer.writeString("") }
            }
            raw.send(Frame(opcode: .add, requestID: 8, payload: writer.bytes).encoded)
            guard case let (8, .added(results))? = try raw.readResponse(timeoutSeconds: 30) else {
                Issue.record("the nested batch got no ADD_OK")
                return
            }
            #expect(results.count == 1_800 && results.allSatisfy { $0.status == .rejected && $0.code == .invalidTag })
        }
    }

    @Test func applyDatedNearTheEndOfTimeIsRefusedSoDeletesStayDeleted() throws {
        // Before APPLY checked dates, a delete dated UInt64.max pushed the clock to its last
        // reading; the next local op was dated 0 and lost to older ops on replay: an
        // acknowledged DELETE came back after a restart.
        let server = try TestServer()
        defer { server.removeData() }
        let client = try server.client()
        let victim = try client.add(Quote(text: "Deleted for good", speaker: "Victim"))
        for timestamp in [UInt64.max, UInt64.max - 1, HybridTimestamp(milliseconds: 1 << 46, logical: 0).rawValue] {
            let poison = Op.delete(QuoteID(high: 0xABAB, low: 0xABAB), timestamp: HybridTimestamp(rawValue: timestamp), origin: 42)
            do {
                _ = try client.apply([poison])
                Issue.record("an op dated \(timestamp) was applied")
            } catch {
                #expect(error.code == .invalidOp, "\(error)")
            }
        }
        try client.delete(victim.description)
        #expect(server.stop(signal: SIGKILL) != 0)
        try server.start()
        #expect(throws: ClientError.self) { try server.client().get(victim.description) }
    }

    @Test func everyOpcodeWithAGarbagePayloadGetsADocumentedAnswer() throws {
        try withHostileClient { server, _ in
            var random = SplitMix64(seed: 0x5EED)  // the same garbage on every run
            var outcomes: [String: Int] = [:]
            for opcode in 0...255 {
                let garbage = (0..<Int(random.next() % 65)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let raw = try RawConnection(server.address)
                try raw.hello()
                raw.send(Frame(opcode: Opcode(rawValue: UInt8(opcode)), requestID: 77, payload: garbage).encoded)
                let answer = try raw.readResponse()
                switch answer {
                case nil:
                    outcomes["closed", default: 0] += 1
                case let (id, .error(code, message))?:
                    #expect(!code.name.hasPrefix("error_"), "opcode \(opcode): undocumented code \(code.rawValue): \(message)")
                    #expect(id == 77, "opcode \(opcode): the error has request id \(id)")
                    if code.rawValue < 200 { #expect(raw.isClosedByServer(), "opcode \(opcode): fatal \(code.name) but still open") }
                    outcomes[code.name, default: 0] += 1
                case let (id, response)?:
                    #expect(response.opcode.rawValue == UInt8(opcode) | 0x80 && id == 77, "opcode \(opcode): got \(response)")
                    outcomes["ok", default: 0] += 1
                }
            }
            print("hostile: garbage after HELLO, by outcome: \(outcomes.sorted { $0.key < $1.key })")
            #expect(outcomes["unknown_opcode", default: 0] >= 200)
        }
    }
}
