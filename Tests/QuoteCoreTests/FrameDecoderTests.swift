import QuoteCore
import Testing

@Suite struct FrameDecoderTests {
    static let frames = [
        Request.ping([1, 2, 3]).frame(requestID: 1),
        Request.stats.frame(requestID: 2),
        Request.add([Samples.markChen]).frame(requestID: 3),
    ]

    @Test func framesFedOneByteAtATimeComeOutWhole() throws {
        var decoder = FrameDecoder()
        var received: [Frame] = []
        for byte in FrameDecoderTests.frames.flatMap(\.encoded) {
            decoder.append([byte])
            while let frame = try decoder.next() { received.append(frame) }
        }
        #expect(received == FrameDecoderTests.frames)
        #expect(decoder.bufferedBytes == 0)
    }

    @Test func manyFramesInOneChunkComeOutInOrder() throws {
        var decoder = FrameDecoder()
        decoder.append(FrameDecoderTests.frames.flatMap(\.encoded) + [0, 0])
        var received: [Frame] = []
        while let frame = try decoder.next() { received.append(frame) }
        #expect(received == FrameDecoderTests.frames)
        #expect(decoder.bufferedBytes == 2)
    }

    @Test func partialFrameYieldsNothingUntilItsLastByte() throws {
        let bytes = Request.ping([9, 9]).frame(requestID: 5).encoded
        var decoder = FrameDecoder()
        decoder.append(Array(bytes.dropLast()))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedBytes == bytes.count - 1)
        decoder.append([bytes.last!])
        #expect(try decoder.next() == Request.ping([9, 9]).frame(requestID: 5))
    }

    @Test func lengthAboveTheLimitIsRefusedFromTheLengthAlone() {
        var decoder = FrameDecoder(maxFrameBytes: 100)
        decoder.append([0, 0, 0, 101])
        #expect(throws: FrameDecoder.Failure.frameTooLarge(length: 101, limit: 100)) { try decoder.next() }
    }

    @Test func hostileLengthIsRefusedWithTheDefaultLimit() {
        var decoder = FrameDecoder()
        decoder.append([0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        #expect(throws: FrameDecoder.Failure.frameTooLarge(length: Int(UInt32.max), limit: 1_048_576)) { try decoder.next() }
    }

    @Test func lengthEqualToTheLimitIsAccepted() throws {
        let frame = Frame(opcode: .ping, requestID: 1, payload: [UInt8](repeating: 7, count: 95))
        var decoder = FrameDecoder(maxFrameBytes: 100)
        decoder.append(frame.encoded)
        #expect(try decoder.next() == frame)
    }

    @Test(arguments: [0, 1, 4])
    func lengthTooSmallForOpcodeAndRequestIDIsRefused(_ length: Int) {
        var decoder = FrameDecoder()
        decoder.append([0, 0, 0, UInt8(length)])
        #expect(throws: FrameDecoder.Failure.frameTooSmall(length: length)) { try decoder.next() }
    }

    @Test func lengthOfFiveIsAFrameWithAnEmptyPayload() throws {
        var decoder = FrameDecoder()
        decoder.append([0, 0, 0, 5, 0x08, 0, 0, 0, 9])
        #expect(try decoder.next() == Frame(opcode: .stats, requestID: 9, payload: []))
    }

    @Test func frameEncodingPutsLengthOpcodeRequestIDThenPayload() {
        let frame = Frame(opcode: .ping, requestID: 0x0A0B_0C0D, payload: [0xEE])
        #expect(frame.encoded == [0, 0, 0, 6, 0x02, 0x0A, 0x0B, 0x0C, 0x0D, 0xEE])
    }
}
