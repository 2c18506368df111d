import Foundation
import QuoteCore
import QuotePOSIX

/// A bare socket for sending arbitrary bytes and reading frames: the hostile client.
final class RawConnection {
    let descriptor: Int32
    private var decoder = FrameDecoder(maxFrameBytes: 64 << 20)

    init(_ address: SocketAddress) throws {
        descriptor = try Socket.connect(to: address, timeoutSeconds: 5)
    }

    deinit { close(descriptor) }

    /// Sends what the socket takes within `timeoutSeconds`; a server that stopped reading
    /// must not hang the test.
    @discardableResult
    func send(_ bytes: [UInt8], timeoutSeconds: Double = 2) -> Int {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var done = 0
        while done < bytes.count && deadline.timeIntervalSinceNow > 0 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, 100) <= 0 { continue }
            let written = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if written < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                break
            }
            done += written
        }
        return done
    }

    func send(_ request: Request, id: UInt32 = 1) {
        send(request.frame(requestID: id).encoded)
    }

    func hello() throws {
        send(.hello(Hello(clientName: "raw-test")))
        guard case .hello = try readResponse()?.1 else { throw TestServerError(description: "no HELLO_OK") }
    }

    /// The next frame as (request id, response), or nil when the server closed the connection.
    func readResponse(timeoutSeconds: Double = 5) throws -> (UInt32, Response)? {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = try decoder.next() {
                guard let response = try Response.decode(opcode: frame.opcode, payload: frame.payload) else {
                    throw TestServerError(description: "unknown opcode \(frame.opcode)")
                }
                return (frame.requestID, response)
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { throw TestServerError(description: "timed out") }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, Int32(remaining * 1000)) == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// Whether the server closed the connection (reads until EOF or a timeout).
    func isClosedByServer(timeoutSeconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while deadline.timeIntervalSinceNow > 0 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { return true }
        }
        return false
    }
}
