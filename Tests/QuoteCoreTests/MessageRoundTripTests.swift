import QuoteCore
import Testing

@Suite struct MessageRoundTripTests {
    @Test(arguments: MessageSamples.requests)
    func requestDecodesFromItsFrameUnchanged(_ request: Request) throws {
        let frame = try GoldenVector.singleFrame(request.frame(requestID: 0x0102_0304).encoded)
        #expect(frame.opcode == request.opcode)
        #expect(frame.requestID == 0x0102_0304)
        #expect(try Request.decode(opcode: frame.opcode, payload: frame.payload) == request)
    }

    @Test(arguments: MessageSamples.responses)
    func responseDecodesFromItsFrameUnchanged(_ response: Response) throws {
        var writer = ByteWriter()
        response.encodeFrame(requestID: 7, into: &writer)
        #expect(writer.bytes == response.frame(requestID: 7).encoded)
        let frame = try GoldenVector.singleFrame(writer.bytes)
        #expect(frame.opcode == response.opcode)
        #expect(try Response.decode(opcode: frame.opcode, payload: frame.payload) == response)
    }

    @Test func samplesCoverEveryRequestAndResponseOpcode() {
        let requestOpcodes = Set(MessageSamples.requests.map(\.opcode.rawValue))
        let responseOpcodes = Set(MessageSamples.responses.map(\.opcode.rawValue))
        #expect(requestOpcodes == Set(Opcode.requests.map(\.rawValue)))
        #expect(responseOpcodes == Set(Opcode.requests.map(\.response.rawValue) + [Opcode.error.rawValue]))
    }

    @Test func responseOpcodeIsRequestOpcodeWithHighBitSet() {
        for opcode in Opcode.requests {
            #expect(!opcode.isResponse)
            #expect(opcode.response.rawValue == opcode.rawValue | 0x80)
            #expect(opcode.response.description == opcode.description + "_OK")
        }
        #expect(Opcode.error.rawValue == 0xFF)
        #expect(Opcode.error.description == "ERROR")
    }

    @Test func requestDecoderReturnsNilForResponseAndUnknownOpcodes() throws {
        #expect(try Request.decode(opcode: Opcode.ping.response, payload: [0, 0, 0, 0]) == nil)
        #expect(try Request.decode(opcode: Opcode(rawValue: 0x42), payload: []) == nil)
        #expect(try Response.decode(opcode: .ping, payload: [0, 0, 0, 0]) == nil)
    }

    @Test func unknownErrorCodeSurvivesDecodingWithAGenericName() throws {
        let frame = Response.error(ErrorCode(rawValue: 777), "later").frame(requestID: 1)
        let decoded = try Response.decode(opcode: frame.opcode, payload: frame.payload)
        #expect(decoded == .error(ErrorCode(rawValue: 777), "later"))
        #expect(ErrorCode(rawValue: 777).name == "error_777")
    }

    @Test func unknownHelloFlagBitsAreKept() throws {
        let reply = HelloReply(version: 1, nodeID: 1, serverName: "s", maxFrameBytes: 5, flags: .init(rawValue: 0xFF))
        let frame = Response.hello(reply).frame(requestID: 1)
        #expect(try Response.decode(opcode: frame.opcode, payload: frame.payload) == .hello(reply))
    }
}
