/// Splits a byte stream into frames, refusing a declared length above the limit before
/// buffering any of it.
///
/// Owned by one connection; not thread-safe.
public struct FrameDecoder: Sendable {
    /// Why the stream cannot be framed; the connection should answer and close.
    public enum Failure: Error, Equatable, Sendable {
        /// The declared length is above `maxFrameBytes`.
        case frameTooLarge(length: Int, limit: Int)
        /// The declared length is too small to hold an opcode and a request id.
        case frameTooSmall(length: Int)
    }

    /// The largest length prefix accepted; raised once a connection has authenticated.
    public var maxFrameBytes: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Creates a decoder accepting frames up to `maxFrameBytes` (the value of the length prefix).
    public init(maxFrameBytes: Int = Frame.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedBytes: Int { buffer.count - readIndex }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: [UInt8]) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame, or nil until more bytes arrive.
    public mutating func next() throws(Failure) -> Frame? {
        let available = buffer.count - readIndex
        guard available >= 4 else { return nil }
        let length = Int(buffer.withUnsafeBytes { RawByteReader($0).integer(at: readIndex, as: UInt32.self) })
        guard length <= maxFrameBytes else { throw .frameTooLarge(length: length, limit: maxFrameBytes) }
        guard length >= 5 else { throw .frameTooSmall(length: length) }
        guard available >= 4 + length else { return nil }
        let start = readIndex + 4
        let opcode = Opcode(rawValue: buffer[start])
        let requestID = buffer.withUnsafeBytes { RawByteReader($0).integer(at: start + 1, as: UInt32.self) }
        let payload = Array(buffer[(start + 5)..<(start + length)])
        readIndex += 4 + length
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            readIndex = 0
        }
        return Frame(opcode: opcode, requestID: requestID, payload: payload)
    }

    private mutating func compactIfWorthIt() {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
