import Foundation
import QuoteClient
import QuoteCore
import Testing

/// Every limit answered with its documented error, while another connection keeps working
/// and nothing stored changes.
@Suite struct LimitTests {
    /// Runs `body` against a seeded server, then checks a bystander client still works and
    /// the archive's digest did not move.
    func withBystander(arguments: [String] = [], _ body: (TestServer) throws -> Void) throws {
        let server = try TestServer(seeded: true, arguments: arguments)
        defer { server.removeData() }
        let bystander = try server.client()
        let before = try bystander.digest()
        try body(server)
        #expect(try bystander.ping() >= 0)
        #expect(try bystander.search(SearchFilter(speaker: "chen")).count >= 2)
        #expect(try bystander.digest() == before)
    }

    func expectError(_ connection: RawConnection, _ code: ErrorCode, closes: Bool = true) throws {
        let answer = try connection.readResponse()
        guard case let .error(received, message)? = answer?.1 else {
            Issue.record("expected \(code.name), got \(String(describing: answer))")
            return
        }
        #expect(received == code, "\(message)")
        if closes { #expect(connection.isClosedByServer()) }
    }

    @Test func requestBeforeHelloIsRefusedAndClosed() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            raw.send(.ping([1, 2, 3]))
            try expectError(raw, .handshakeRequired)
        }
    }

    @Test func unsupportedVersionIsRefusedAndClosed() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            raw.send(.hello(Hello(minVersion: 7, maxVersion: 9, clientName: "future")))
            try expectError(raw, .unsupportedVersion)
        }
    }

    @Test func helloWithWrongMagicIsAHandshakeError() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            var frame = Request.hello(Hello(clientName: "x")).frame(requestID: 1)
            frame.payload[0] = UInt8(ascii: "X")
            raw.send(frame.encoded)
            try expectError(raw, .handshakeRequired)
        }
    }

    @Test func hugeDeclaredLengthIsRefusedWithoutReadingIt() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            try raw.hello()
            raw.send([0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 9])
            try expectError(raw, .frameTooLarge)
        }
    }

    @Test func unknownOpcodeIsRefusedAndClosed() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            try raw.hello()
            raw.send(Frame(opcode: Opcode(rawValue: 0x42), requestID: 5, payload: [1, 2]).encoded)
            try expectError(raw, .unknownOpcode)
        }
    }

    @Test func undecodablePayloadIsRefusedAndClosed() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            try raw.hello()
            raw.send(Frame(opcode: .add, requestID: 6, payload: [0, 0, 0, 1, 0xFF, 0xFF]).encoded)
            try expectError(raw, .malformedPayload)
            let liar = try RawConnection(server.address)
            try liar.hello()
            // A string whose length says 4 GiB inside a small frame.
            liar.send(Frame(opcode: .get, requestID: 7, payload: [0xFF, 0xFF, 0xFF, 0xFF, 0x61]).encoded)
            try expectError(liar, .malformedPayload)
        }
    }

    @Test func invalidUTF8InAQuoteIsMalformed() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            try raw.hello()
            var writer = ByteWriter()
            writer.writeInteger(UInt8(0))
            writer.writeInteger(UInt32(1))
            writer.writeLengthPrefixed([0xC3, 0x28])
            writer.writeString("Speaker")
            writer.writeBytes([0, 0, 0, 0])
            writer.writeString("")
            writer.writeString("")
            writer.writeInteger(UInt32(0))
            raw.send(Frame(opcode: .add, requestID: 8, payload: writer.bytes).encoded)
            try expectError(raw, .malformedPayload)
        }
    }

    @Test func framesSplitIntoSingleBytesStillWork() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            let bytes = Request.hello(Hello(clientName: "slow")).frame(requestID: 1).encoded + Request.ping([9]).frame(requestID: 2).encoded
            for byte in bytes { raw.send([byte]) }
            #expect(try raw.readResponse()?.0 == 1)
            let pong = try raw.readResponse()
            #expect(pong?.0 == 2)
            #expect(pong?.1 == .pong([9]))
        }
    }

    @Test func connectionsBeyondTheLimitAreRefused() throws {
        try withBystander(arguments: ["--max-connections", "3"]) { server in
            let first = try RawConnection(server.address)
            try first.hello()
            let second = try RawConnection(server.address)
            try second.hello()
            let third = try RawConnection(server.address)
            try expectError(third, .tooManyConnections)
        }
    }

    @Test func idleConnectionsAreClosedWithTheirError() throws {
        // No bystander here: it would sit idle too, and be closed for it.
        let server = try TestServer(seeded: true, arguments: ["--idle-timeout", "1"])
        defer { server.removeData() }
        let before = try server.client().digest()
        let raw = try RawConnection(server.address)
        try raw.hello()
        let answer = try raw.readResponse(timeoutSeconds: 10)
        #expect(answer?.1 == .error(.idleTimeout, "idle for more than 1 s"))
        #expect(raw.isClosedByServer())
        #expect(try server.client().digest() == before)
    }

    @Test func aClientThatNeverReadsStallsOnlyItself() throws {
        try withBystander { server in
            let raw = try RawConnection(server.address)
            try raw.hello()
            // Thousands of searches whose answers are never read.
            let request = Request.search(SearchFilter(), limit: 1000, cursor: []).frame(requestID: 9).encoded
            var burst: [UInt8] = []
            for _ in 0..<200 { burst += request }
            for _ in 0..<50 { raw.send(burst) }
            let other = try server.client()
            #expect(try other.search(SearchFilter(speaker: "zuckerberg")).count >= 3)
        }
    }
}
