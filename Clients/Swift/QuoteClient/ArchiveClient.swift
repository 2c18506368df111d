#if canImport(Glibc)
import Glibc
#endif
import QuoteCore
import QuotePOSIX
import Synchronization

/// A connection to a `quoted` server: HELLO on connect, then typed, blocking calls.
///
/// ```swift
/// let client = try ArchiveClient(host: "127.0.0.1", port: 7878)
/// let id = try client.add(Quote(text: "Stay hungry.", speaker: "Steve Jobs"))
/// for quote in try client.search(SearchFilter(speaker: "jobs")) { print(quote.quote.text) }
/// ```
///
/// Calls are serialized by a mutex, so one client may be shared between threads; use one
/// client per thread for parallelism. Every call has a deadline: a dead server is a
/// `ClientError.connection`, never a hang. The calls block; from async code, run them off
/// the cooperative pool (a dedicated thread or `DispatchQueue`).
public final class ArchiveClient: Sendable {
    /// What the server said about itself in HELLO_OK.
    public let server: HelloReply
    /// The address connected to.
    public let address: SocketAddress
    /// The deadline for each call, in seconds.
    public let timeoutSeconds: Double

    private let connection: Mutex<Connection>

    struct Connection: ~Copyable {
        var descriptor: Int32
        var nextRequestID: UInt32 = 1
        var decoder: FrameDecoder
        var broken: String?
        /// The first bytes the server sent, to show what answered when it is not a quote
        /// archive server.
        var firstBytes: [UInt8] = []

        deinit { if descriptor >= 0 { SystemCall.close(descriptor) } }
    }

    /// Connects to `host:port`, says HELLO, and authenticates with `token` when the server asks.
    public convenience init(host: String, port: UInt16, timeoutSeconds: Double = 10, clientName: String = "QuoteClient/0.1",
                            token: AccessToken? = nil) throws(ClientError) {
        try self.init(address: SocketAddress(host: host, port: port), timeoutSeconds: timeoutSeconds, clientName: clientName, token: token)
    }

    /// Connects to `address`, says HELLO, and authenticates with `token` when the server asks.
    public init(address: SocketAddress, timeoutSeconds: Double = 10, clientName: String = "QuoteClient/0.1",
                token: AccessToken? = nil) throws(ClientError) {
        self.address = address
        self.timeoutSeconds = timeoutSeconds
        let descriptor: Int32
        do {
            descriptor = try Socket.connect(to: address, timeoutSeconds: timeoutSeconds)
        } catch {
            throw .connection(String(describing: error))
        }
        // Responses are at most 16 MiB (PROTOCOL.md §2): a first frame that claims more is
        // text or another protocol's bytes, refused as soon as its length arrives.
        var opened = Connection(descriptor: descriptor, decoder: FrameDecoder(maxFrameBytes: 16 << 20))
        let reply: [Response]
        do {
            reply = try ArchiveClient.exchange(&opened, [.hello(Hello(clientName: clientName))], timeoutSeconds: timeoutSeconds)
        } catch {
            throw ArchiveClient.explainFailedHello(error, address: address, firstBytes: opened.firstBytes,
                                                   timeoutSeconds: timeoutSeconds)
        }
        switch reply[0] {
        case let .hello(hello): server = hello
        case let .error(code, message): throw .server(code: code, message: message)
        default:
            throw .notAQuoteServer("\(address) is not a quote archive server: it answered HELLO with \(reply[0].opcode)")
        }
        opened.decoder.maxFrameBytes = 64 << 20
        if server.flags.contains(.authenticationRequired) {
            try ArchiveClient.authenticate(&opened, token: token, serverNonce: server.serverNonce, timeoutSeconds: timeoutSeconds)
        }
        connection = Mutex(opened)
    }

    /// The reasons the exchange itself gives for a dropped or silent connection.
    static let timedOutSending = "timed out sending"
    static let timedOutWaiting = "timed out waiting for the server"
    static let closedByServer = "the server closed the connection"

    /// A failed HELLO in words: a peer that sent bytes that are not this protocol, closed, or
    /// said nothing, is most likely not a quote archive server at all.
    static func explainFailedHello(_ error: ClientError, address: SocketAddress, firstBytes: [UInt8],
                                   timeoutSeconds: Double) -> ClientError {
        let sent = firstBytes.isEmpty ? "nothing" : "\"\(printable(firstBytes))\""
        switch error {
        case .protocolViolation:
            return .notAQuoteServer("\(address) is not a quote archive server: it sent \(sent) first")
        case let .connection(reason) where reason == timedOutWaiting || reason == timedOutSending:
            return .notAQuoteServer("\(address) accepted the connection but did not answer HELLO within "
                                    + "\(Int(timeoutSeconds.rounded())) s (it sent \(sent)): is it a quote archive server?")
        // A reset (ECONNRESET, in the system's words) is a close that found our HELLO unread.
        case let .connection(reason) where reason == closedByServer || reason.contains("reset by peer"):
            return .notAQuoteServer("\(address) closed the connection without answering HELLO (it sent \(sent) first): "
                                    + "is it a quote archive server?")
        default:
            return error
        }
    }

    /// Up to 60 bytes as text: printable ASCII as it is, line breaks and tabs escaped, any
    /// other byte as \xNN.
    static func printable(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes.prefix(60) {
            switch byte {
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
            }
        }
        return bytes.count > 60 ? text + "…" : text
    }

    /// Proves the token to the server, and checks the server's proof that it knows it too.
    private static func authenticate(_ connection: inout Connection, token: AccessToken?, serverNonce: [UInt8],
                                     timeoutSeconds: Double) throws(ClientError) {
        guard let token else {
            throw .server(code: .authenticationRequired, message: "the server requires a token (--token-file or QUOTES_TOKEN)")
        }
        let clientNonce = Authentication.randomBytes()
        let proof = Authentication.clientProof(secret: token.secret, serverNonce: serverNonce, clientNonce: clientNonce)
        let reply = try exchange(&connection, [.auth(tokenName: token.name, clientNonce: clientNonce, proof: proof)],
                                 timeoutSeconds: timeoutSeconds)
        switch reply[0] {
        case let .authenticated(_, serverProof):
            let expected = Authentication.serverProof(secret: token.secret, serverNonce: serverNonce, clientNonce: clientNonce)
            guard HMACSHA256.constantTimeEquals(serverProof, expected) else {
                throw .protocolViolation("the server could not prove it knows the token: it is not the server you expect")
            }
        case let .error(code, message): throw .server(code: code, message: message)
        default: throw .protocolViolation("expected AUTH_OK, got \(reply[0].opcode)")
        }
    }

    /// Sends `requests` pipelined, then waits for all their responses; returns them in
    /// request order. ERROR responses are returned, not thrown.
    public func send(_ requests: [Request]) throws(ClientError) -> [Response] {
        let timeoutSeconds = timeoutSeconds
        return try locked { (connection: inout Connection) throws(ClientError) -> [Response] in
            try ArchiveClient.exchange(&connection, requests, timeoutSeconds: timeoutSeconds)
        }
    }

    /// Sends the requests `next` produces, keeping up to `window` of them in flight (sent,
    /// their responses not yet handed on), and hands each response to `onResponse` in
    /// request order (ERROR responses included, not thrown), until `next` returns nil and
    /// every response is handed on.
    ///
    /// Unlike `send(_:)` in rounds, the connection never drains: a new request goes out as
    /// soon as an answer comes back, and `next` (which may parse or encode the next batch)
    /// runs while the server works on the ones in flight. An error `next` or `onResponse`
    /// throws ends the call; if answers were still due, the connection is broken from then
    /// on (they would otherwise reach the next call).
    public func send(window: Int, next: () throws(ClientError) -> Request?,
                     onResponse: (Response) throws(ClientError) -> Void) throws(ClientError) {
        let timeoutSeconds = timeoutSeconds
        try locked { (connection: inout Connection) throws(ClientError) in
            try ArchiveClient.exchange(&connection, window: max(1, window), timeoutSeconds: timeoutSeconds,
                                       next: next, onResponse: onResponse)
        }
    }

    /// Runs `body` on the locked connection; any failure but a server's ERROR breaks it.
    private func locked<T>(_ body: (inout Connection) throws(ClientError) -> T) throws(ClientError) -> T {
        try connection.withLock { (connection: inout Connection) throws(ClientError) -> T in
            if let broken = connection.broken { throw .connection(broken) }
            do throws(ClientError) {
                return try body(&connection)
            } catch {
                if case .server = error {} else { connection.broken = error.description }
                throw error
            }
        }
    }

    /// Sends one request and returns its response, throwing an ERROR as `.server`.
    public func call(_ request: Request) throws(ClientError) -> Response {
        let response = try send([request])[0]
        if case let .error(code, message) = response { throw .server(code: code, message: message) }
        return response
    }

    /// Runs `body` with the connection locked, marking it broken if `body` fails.
    func withConnection<T>(_ body: (inout Connection) throws -> T) throws -> T {
        try connection.withLock { (connection: inout Connection) throws -> T in
            if let broken = connection.broken { throw ClientError.connection(broken) }
            do {
                return try body(&connection)
            } catch {
                connection.broken = String(describing: error)
                throw error
            }
        }
    }

    private static func exchange(_ connection: inout Connection, _ requests: [Request], timeoutSeconds: Double) throws(ClientError) -> [Response] {
        var responses: [Response] = []
        responses.reserveCapacity(requests.count)
        var index = 0
        try exchange(&connection, window: max(1, requests.count), timeoutSeconds: timeoutSeconds, next: { () -> Request? in
            defer { index += 1 }
            return index < requests.count ? requests[index] : nil
        }, onResponse: { responses.append($0) })
        return responses
    }

    /// The one loop that writes requests and reads answers: up to `window` requests are
    /// written and not yet handed on at once; answers, which come in any order (a GET
    /// overtakes an ADD queued at the writer), are handed to `onResponse` in request order.
    private static func exchange(_ connection: inout Connection, window: Int, timeoutSeconds: Double,
                                 next: () throws(ClientError) -> Request?,
                                 onResponse: (Response) throws(ClientError) -> Void) throws(ClientError) {
        var output = ByteWriter(capacity: 256)
        var written = 0
        // Request id -> its position in the order requests were made; answers waiting for
        // an earlier one, by position.
        var positions: [UInt32: Int] = [:]
        var early: [Int: Response] = [:]
        var (made, delivered) = (0, 0)
        var exhausted = false
        // The timeout bounds silence, not the whole exchange: every answer that arrives
        // moves the deadline, so a long pipelined import is not cut off while it progresses.
        var deadline = monotonicSeconds() + timeoutSeconds
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            while !exhausted && made - delivered < window {
                let produced: Request?
                do throws(ClientError) {
                    produced = try next()
                } catch {
                    abandon(&connection, unread: made - delivered, error)
                    throw error
                }
                guard let request = produced else {
                    exhausted = true
                    break
                }
                let id = connection.nextRequestID
                connection.nextRequestID = id == UInt32.max ? 1 : id + 1
                positions[id] = made
                made += 1
                if written == output.count {
                    output.truncate(to: 0)
                    written = 0
                }
                request.frame(requestID: id).encode(into: &output)
            }
            if exhausted && delivered == made { return }
            let frame: Frame?
            do { frame = try connection.decoder.next() } catch {
                throw .protocolViolation("bad frame from server: \(error)")
            }
            if let frame {
                let response: Response?
                do { response = try Response.decode(opcode: frame.opcode, payload: frame.payload) } catch {
                    throw .protocolViolation("undecodable \(frame.opcode) payload: \(error)")
                }
                guard let response else { throw .protocolViolation("unknown response opcode \(frame.opcode)") }
                guard let position = positions.removeValue(forKey: frame.requestID) else {
                    // Request id 0 is the server speaking before closing (a limit or a timeout).
                    if case let .error(code, message) = response, frame.requestID == 0 {
                        throw .server(code: code, message: message)
                    }
                    throw .protocolViolation("response to unknown request id \(frame.requestID)")
                }
                early[position] = response
                while let ready = early.removeValue(forKey: delivered) {
                    delivered += 1
                    do throws(ClientError) {
                        try onResponse(ready)
                    } catch {
                        abandon(&connection, unread: made - delivered, error)
                        throw error
                    }
                }
                deadline = monotonicSeconds() + timeoutSeconds
                continue
            }
            // Read while still writing: a server stops reading a client that leaves its
            // answers unread, so writing everything first could wait forever.
            let left = deadline - monotonicSeconds()
            let sending = written < output.count
            if left <= 0 { throw .connection(sending ? ArchiveClient.timedOutSending : ArchiveClient.timedOutWaiting) }
            let events = Int16(POLLIN) | (sending ? Int16(POLLOUT) : 0)
            let ready = try io { () throws(SystemError) in
                try Socket.poll(connection.descriptor, for: events, timeoutMilliseconds: Int32(min(left * 1000, 1_000_000)))
            }
            if ready == 0 { continue }
            if sending && ready & Int16(POLLOUT) != 0 {
                let descriptor = connection.descriptor
                let count = try io {
                    output.bytes.withUnsafeBytes { bytes in
                        Result { () throws(SystemError) in try Socket.write(descriptor, UnsafeRawBufferPointer(rebasing: bytes[written...])) }
                    }
                }
                written += count ?? 0
            }
            if ready & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                try readAvailable(&connection, into: &buffer)
            }
        }
    }

    /// Marks the connection broken when a caller gives up with answers still due: they
    /// would otherwise reach the next call as strays.
    private static func abandon(_ connection: inout Connection, unread: Int, _ error: ClientError) {
        if unread > 0 { connection.broken = "stopped with \(unread) answers unread: \(error)" }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], deadline: Double) throws(ClientError) {
        var done = 0
        while done < bytes.count {
            let wait = Int32(max(0, (deadline - monotonicSeconds()) * 1000))
            let ready = try io { () throws(SystemError) in try Socket.poll(descriptor, for: Int16(POLLOUT), timeoutMilliseconds: wait) }
            if ready == 0 { throw .connection(ArchiveClient.timedOutSending) }
            let written = try io {
                bytes.withUnsafeBytes { all in
                    Result { () throws(SystemError) in try Socket.write(descriptor, UnsafeRawBufferPointer(rebasing: all[done...])) }
                }
            }
            done += written ?? 0
        }
    }

    static func waitReadable(_ descriptor: Int32, deadline: Double) throws(ClientError) {
        while true {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0 { throw .connection(ArchiveClient.timedOutWaiting) }
            let wait = Int32(min(remaining * 1000, 1_000_000))
            if try io({ () throws(SystemError) in try Socket.poll(descriptor, for: Int16(POLLIN), timeoutMilliseconds: wait) }) != 0 {
                return
            }
        }
    }

    /// Reads what the socket holds into the connection's frame decoder; the server closing
    /// the connection is an error, since a caller is always waiting for an answer here.
    static func readAvailable(_ connection: inout Connection, into buffer: inout [UInt8]) throws(ClientError) {
        let descriptor = connection.descriptor
        let count = try io {
            buffer.withUnsafeMutableBytes { space in Result { () throws(SystemError) in try Socket.read(descriptor, into: space) } }
        }
        guard let count else { return }
        if count == 0 { throw .connection(ArchiveClient.closedByServer) }
        if connection.firstBytes.count < 64 { connection.firstBytes += buffer[0..<min(count, 64 - connection.firstBytes.count)] }
        buffer.withUnsafeBytes { connection.decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Runs a socket call, reporting its failure as a broken connection in the OS's words.
    static func io<T>(_ body: () throws(SystemError) -> T) throws(ClientError) -> T {
        do { return try body() } catch { throw .connection(error.description) }
    }

    /// The same, for a call made inside a buffer's `withUnsafeBytes`, which cannot carry a
    /// typed error out and so hands back a `Result`.
    static func io<T>(_ body: () -> Result<T, SystemError>) throws(ClientError) -> T {
        do { return try body().get() } catch { throw .connection(error.description) }
    }

    static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
