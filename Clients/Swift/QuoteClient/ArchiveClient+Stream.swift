#if canImport(Glibc)
import Glibc
#endif
import QuoteCore

// Streaming responses: one request answered by many frames (CHANGES with follow).
extension ArchiveClient {
    /// Sends `request` and hands each response to it to `onResponse` until that returns
    /// false. A silence longer than `silenceTimeoutSeconds` is a dead connection: the
    /// server sends a heartbeat page on idle follow streams well within that.
    /// The connection is unusable for other calls afterwards if the stream was cut short.
    public func stream(_ request: Request, silenceTimeoutSeconds: Double = 30,
                       _ onResponse: (Response) throws -> Bool) throws {
        try withConnection { connection in
            let requestID = connection.nextRequestID
            connection.nextRequestID = requestID == UInt32.max ? 1 : requestID + 1
            let bytes = request.frame(requestID: requestID).encoded
            try ArchiveClient.writeAll(connection.descriptor, bytes, deadline: ArchiveClient.monotonicSeconds() + timeoutSeconds)
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            while true {
                if let frame = try connection.decoder.next() {
                    guard let response = try Response.decode(opcode: frame.opcode, payload: frame.payload) else {
                        throw ClientError.protocolViolation("unknown response opcode \(frame.opcode)")
                    }
                    guard frame.requestID == requestID else {
                        if case let .error(code, message) = response { throw ClientError.server(code: code, message: message) }
                        continue
                    }
                    if try !onResponse(response) { return }
                    continue
                }
                try ArchiveClient.waitReadable(connection.descriptor, deadline: ArchiveClient.monotonicSeconds() + silenceTimeoutSeconds)
                try ArchiveClient.readAvailable(&connection, into: &buffer)
            }
        }
    }

    /// Sends ops for the server to apply (APPLY); returns how many it appended.
    @discardableResult
    public func apply(_ ops: [Op]) throws(ClientError) -> Int {
        guard case let .applied(count) = try call(.apply(ops)) else { throw .protocolViolation("expected APPLY_OK") }
        return Int(count)
    }
}
