import Foundation
import QuoteCore

/// A stand-in for a peer `quoted` on a loopback port: it answers HELLO, then answers a
/// CHANGES request with the pages it was given (whatever they hold, valid or not) and keeps
/// the connection open, as a following peer with nothing new would. `trailingPayload`, when
/// given, is sent after the pages as one more CHANGES response, byte for byte.
final class FakePeer: @unchecked Sendable {
    // @unchecked: `listener` is set once in init; the accept thread only reads it.
    let port: UInt16
    private let listener: Int32

    /// A listening socket on an ephemeral loopback port, and the port.
    static func loopbackListener() throws -> (descriptor: Int32, port: UInt16) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(listener, raw, length) == 0 && Glibc.listen(listener, 4) == 0 && getsockname(listener, raw, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        return (listener, UInt16(bigEndian: address.sin_port))
    }

    init(nodeID: UInt64, pages: [[SequencedOp]], trailingPayload: [UInt8]? = nil) throws {
        let (listener, port) = try FakePeer.loopbackListener()
        self.listener = listener
        self.port = port
        let lastSequence = pages.last?.last?.sequence ?? 0
        Thread.detachNewThread {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }
                FakePeer.serve(connection, nodeID: nodeID, pages: pages, trailingPayload: trailingPayload, lastSequence: lastSequence)
                close(connection)
            }
        }
    }

    /// Stops accepting; a connection being served ends when the replica hangs up.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ connection: Int32, nodeID: UInt64, pages: [[SequencedOp]], trailingPayload: [UInt8]?,
                              lastSequence: UInt64) {
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            while let frame = try? decoder.next() {
                guard let request = try? Request.decode(opcode: frame.opcode, payload: frame.payload) else { return }
                var frames: [Frame] = []
                switch request {
                case .hello:
                    frames = [Response.hello(HelloReply(version: Hello.currentVersion, nodeID: nodeID, serverName: "fake-peer/1",
                                                        maxFrameBytes: UInt32(Frame.defaultMaxFrameBytes))).frame(requestID: frame.requestID)]
                case .changes:
                    frames = pages.map { Response.changes($0, lastSequence: lastSequence).frame(requestID: frame.requestID) }
                    if let trailingPayload {
                        frames.append(Frame(opcode: Opcode.changes.response, requestID: frame.requestID, payload: trailingPayload))
                    }
                default:
                    frames = [Response.error(.unknownOpcode, "the fake peer only replicates").frame(requestID: frame.requestID)]
                }
                for response in frames {
                    let bytes = response.encoded
                    guard bytes.withUnsafeBytes({ send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return }
                }
            }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            buffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }
}
