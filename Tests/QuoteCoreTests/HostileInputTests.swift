import QuoteCore
import Testing

/// Payloads a broken or hostile peer might send: each must throw a `DecodeError`, never
/// crash, and never allocate what a declared length claims before checking it.
@Suite struct HostileInputTests {
    @Test(arguments: MessageSamples.requests)
    func truncatedRequestThrowsAtEveryLength(_ request: Request) {
        let frame = request.frame(requestID: 1)
        for length in 0..<frame.payload.count {
            #expect(throws: DecodeError.self, "cut at \(length)") {
                try Request.decode(opcode: frame.opcode, payload: Array(frame.payload.prefix(length)))
            }
        }
    }

    @Test(arguments: MessageSamples.responses)
    func truncatedResponseThrowsAtEveryLength(_ response: Response) {
        let frame = response.frame(requestID: 1)
        for length in 0..<frame.payload.count {
            #expect(throws: DecodeError.self, "cut at \(length)") {
                try Response.decode(opcode: frame.opcode, payload: Array(frame.payload.prefix(length)))
            }
        }
    }

    @Test(arguments: MessageSamples.requests)
    func requestWithATrailingByteThrows(_ request: Request) {
        let frame = request.frame(requestID: 1)
        #expect(throws: DecodeError.trailingBytes(offset: frame.payload.count, count: 1)) {
            try Request.decode(opcode: frame.opcode, payload: frame.payload + [0])
        }
    }

    @Test func stringLengthOfFourGigabytesThrowsBeforeAllocating() {
        var reader = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0x41])
        #expect(throws: DecodeError.truncated(offset: 4, needed: Int(UInt32.max), available: 1)) {
            try reader.readString(maxBytes: .max)
        }
        var bytesReader = ByteReader([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: DecodeError.truncated(offset: 4, needed: Int(UInt32.max), available: 0)) {
            try bytesReader.readLengthPrefixed(maxBytes: .max)
        }
    }

    @Test func stringLengthAboveTheFieldLimitThrowsLengthTooLarge() {
        #expect(throws: DecodeError.lengthTooLarge(offset: 0, length: Int(UInt32.max), limit: 64)) {
            try Request.decode(opcode: .get, payload: [0xFF, 0xFF, 0xFF, 0xFF])
        }
    }

    @Test func listCountOfFourBillionThrowsBeforeReservingSpace() {
        // A batch count is checked against the bytes left (24 per quote at least).
        #expect(throws: DecodeError.truncated(offset: 1, needed: Int(UInt32.max) * 24, available: 0)) {
            try Request.decode(opcode: .add, payload: [0, 0xFF, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: DecodeError.truncated(offset: 0, needed: Int(UInt32.max) * 41, available: 8)) {
            try Response.decode(opcode: Opcode.changes.response, payload: [0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: DecodeError.lengthTooLarge(offset: 0, length: Int(UInt32.max), limit: 65_536)) {
            try Response.decode(opcode: Opcode.stats.response, payload: [0xFF, 0xFF, 0xFF, 0xFF])
        }
    }

    @Test func tagCountAboveTheWireBoundThrows() {
        var writer = ByteWriter()
        for _ in 0..<2 { writer.writeString("x") }
        QuoteDate.encode(nil, into: &writer)
        for _ in 0..<2 { writer.writeString("") }
        writer.writeInteger(UInt32(129))
        var reader = ByteReader(writer.bytes)
        #expect(throws: DecodeError.lengthTooLarge(offset: 22, length: 129, limit: 128)) {
            try Quote.decode(from: &reader)
        }
    }

    @Test func smallestQuoteDecodesInsideABatch() throws {
        // Five empty strings and no date: 24 bytes, the least a quote can take.
        let payload: [UInt8] = [0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 24)
        #expect(try Request.decode(opcode: .add, payload: payload) == .add([Quote(text: "", speaker: "")]))
        #expect(try Request.decode(opcode: .add, payload: [1] + payload.dropFirst())
            == .add([Quote(text: "", speaker: "")], replace: true))
        // Flag bits this version does not define make the payload malformed.
        #expect(throws: DecodeError.invalidValue(offset: 0, field: "add flags")) {
            try Request.decode(opcode: .add, payload: [2] + payload.dropFirst())
        }
    }

    @Test func invalidUTF8InAStringThrows() {
        #expect(throws: DecodeError.invalidUTF8(offset: 4)) {
            try Request.decode(opcode: .get, payload: [0, 0, 0, 2, 0xC3, 0x28])
        }
    }

    @Test func impossibleDateThrowsInvalidValue() {
        // 2025-02-30.
        var reader = ByteReader([0x07, 0xE9, 2, 30])
        #expect(throws: DecodeError.invalidValue(offset: 0, field: "date")) {
            try QuoteDate.decode(from: &reader)
        }
    }

    @Test func followFlagOtherThanZeroOrOneThrows() {
        #expect(throws: DecodeError.invalidValue(offset: 12, field: "follow flag")) {
            try Request.decode(opcode: .changes, payload: [UInt8](repeating: 0, count: 12) + [2])
        }
    }

    @Test func unknownEnumeratedValuesThrowInvalidValue() {
        #expect(throws: DecodeError.invalidValue(offset: 0, field: "magic")) {
            try Request.decode(opcode: .hello, payload: Array("QTAX".utf8) + [0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        }
        #expect(throws: DecodeError.invalidValue(offset: 4, field: "add status")) {
            try Response.decode(opcode: Opcode.add.response, payload: [0, 0, 0, 1, 5] + [UInt8](repeating: 0, count: 22))
        }
        #expect(throws: DecodeError.invalidValue(offset: 9, field: "stat kind")) {
            try Response.decode(opcode: Opcode.stats.response, payload: [0, 0, 0, 1, 0, 0, 0, 1, 0x61, 2, 0, 0, 0, 0])
        }
        var reader = ByteReader([3] + [UInt8](repeating: 0, count: 32))
        #expect(throws: DecodeError.invalidValue(offset: 0, field: "op kind")) {
            try Op.decode(from: &reader)
        }
    }
}
