/// One protocol frame: `u32` length of what follows, `u8` opcode, `u32` request id, payload.
public struct Frame: Hashable, Sendable {
    /// The bytes before the payload: length, opcode, request id.
    public static let headerBytes = 9
    /// The default largest length a peer may declare (1 MiB).
    public static let defaultMaxFrameBytes = WireLimits.defaultMaxFrameBytes

    /// What the frame asks or answers.
    public var opcode: Opcode
    /// Chosen by the client, echoed by the server's response.
    public var requestID: UInt32
    /// The opcode's message.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(opcode: Opcode, requestID: UInt32, payload: [UInt8]) {
        self.opcode = opcode
        self.requestID = requestID
        self.payload = payload
    }

    /// The whole frame, length prefix included.
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: Frame.headerBytes + payload.count)
        encode(into: &writer)
        return writer.bytes
    }

    /// Appends the whole frame to `writer`.
    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(UInt32(5 + payload.count))
        writer.writeInteger(opcode.rawValue)
        writer.writeInteger(requestID)
        writer.writeBytes(payload)
    }

    /// Appends a frame whose payload `body` writes in place, patching the length afterwards,
    /// and returns what `body` returns. If `body` throws, `writer` is left as it was.
    @discardableResult
    public static func encode<Result, Failure: Error>(
        opcode: Opcode, requestID: UInt32, into writer: inout ByteWriter,
        body: (inout ByteWriter) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let start = writer.count
        writer.writeInteger(UInt32(0))
        writer.writeInteger(opcode.rawValue)
        writer.writeInteger(requestID)
        do {
            let result = try body(&writer)
            writer.setInteger(UInt32(writer.count - start - 4), at: start)
            return result
        } catch {
            writer.truncate(to: start)
            throw error
        }
    }
}
