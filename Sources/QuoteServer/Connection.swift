#if canImport(Glibc)
import Glibc
#endif
import CQuoteSupport
import QuoteCore
import QuotePOSIX

/// One client connection: its bytes in, its frames, its bytes out.
///
/// Confined to its event loop's thread. Store completions arrive on other threads and are
/// brought back with `loop.execute` before they touch the connection.
final class Connection: EventHandler, @unchecked Sendable {
    // @unchecked: every property is touched only on `loop`'s thread (see above).
    let descriptor: Int32
    let peer: SocketAddress
    let loop: EventLoop
    unowned let server: Server
    var decoder: FrameDecoder
    var output = ByteWriter(capacity: 16 * 1024)
    var greeted = false
    /// HELLO answered and, when tokens are required, AUTH accepted: from then on the
    /// connection is a client's, not a newcomer that may be closed to make room.
    var handshakeFinished = false
    /// When the connection was accepted: the handshake deadline counts from here.
    let acceptedAt: Double
    /// The role granted by AUTH; nil before (or without) authentication.
    var role: Role?
    /// The nonce sent in HELLO_OK when authentication is required.
    var serverNonce: [UInt8] = []
    /// Frames received before authenticating.
    var framesBeforeAuthentication = 0
    /// An error was sent: flush what is queued, then close; read nothing more.
    var closing = false
    var closed = false
    /// Writes handed to the store and queries handed to the `QueryPool`, not yet answered.
    var inFlight = 0
    /// Of those, the queries.
    var queriesOffLoop = 0
    var lastActivity: Double
    var readingPaused = false
    var watchingWrites = false
    /// A flush is queued with the loop for after its current batch of completions.
    var flushDeferredScheduled = false
    /// A CHANGES request with follow, if one is running.
    var follow: FollowState?

    /// Where a CHANGES follow stream stands.
    struct FollowState {
        var requestID: UInt32
        /// The last sequence number sent.
        var sentThrough: UInt64
        var maxOps: Int
        /// The store observer that wakes the stream.
        var observer: UInt64
        var announcedCaughtUp = false
    }

    init(descriptor: Int32, peer: SocketAddress, loop: EventLoop, server: Server) {
        self.descriptor = descriptor
        self.peer = peer
        self.loop = loop
        self.server = server
        // Until a client authenticates it may send only small frames, and few of them.
        decoder = FrameDecoder(maxFrameBytes: server.requiresAuthentication
                               ? Server.preAuthenticationMaxFrameBytes : server.configuration.maxFrameBytes)
        lastActivity = EventLoop.now()
        acceptedAt = lastActivity
    }

    /// Seconds before a failed authentication is answered.
    static let authenticationFailureDelaySeconds = 1.0

    /// Seconds of silence on a follow stream before a heartbeat page.
    static let heartbeatSeconds = 5.0

    var readEvents: UInt32 { EPOLLIN.rawValue | EPOLLRDHUP.rawValue }

    func handle(events: UInt32) {
        if events & EPOLLIN.rawValue != 0 && !readingPaused && !closing {
            readAvailable()
        } else if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            close(reason: "peer hung up")
            return
        }
        if !closed && events & EPOLLOUT.rawValue != 0 { flush() }
    }

    func tick(now: Double) {
        // A follower hears a heartbeat when nothing was appended for a while, so a silent
        // peer can be told from a dead one.
        if let follow, !closed, now - lastActivity > Connection.heartbeatSeconds, output.count == 0 {
            send(.changes([], lastSequence: server.archive.statistics.lastSequence), requestID: follow.requestID)
            lastActivity = now
            flush()
        }
        // A handshake has a deadline from the accept, not from the last byte: a client
        // sending its HELLO a byte at a time must not hold a connection as long as it likes.
        let deadline = server.configuration.handshakeTimeoutSeconds
        if !handshakeFinished && !closed && !closing && inFlight == 0 && now - acceptedAt > Double(deadline) {
            let steps = server.requiresAuthentication ? "HELLO and AUTH" : "HELLO"
            fail(.idleTimeout, "the handshake (\(steps)) did not finish within \(deadline) s", requestID: 0)
            return
        }
        let timeout = Double(server.configuration.idleTimeoutSeconds)
        guard timeout > 0, !closed, !closing, inFlight == 0, follow == nil, output.count == 0 else { return }
        if now - lastActivity > timeout {
            fail(.idleTimeout, "idle for more than \(server.configuration.idleTimeoutSeconds) s", requestID: 0)
        }
    }

    private func readAvailable() {
        // Bounded per wake-up so one busy client cannot starve the loop's others.
        for _ in 0..<4 {
            let result: Int?
            do {
                result = try loop.scratch.withUnsafeMutableBytes { try Socket.read(descriptor, into: $0) }
            } catch {
                close(reason: "read failed: \(error)")
                return
            }
            guard let count = result else { break }
            if count == 0 {
                close(reason: "closed by peer")
                return
            }
            lastActivity = EventLoop.now()
            loop.scratch.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            processFrames()
            if closing || closed || readingPaused || count < loop.scratch.count { break }
        }
        if !closed { flush() }
    }

    private func processFrames() {
        while !closing && !closed {
            let frame: Frame?
            do {
                frame = try decoder.next()
            } catch let failure {
                switch failure {
                case let .frameTooLarge(length, limit):
                    fail(.frameTooLarge, "frame of \(length) bytes exceeds the limit of \(limit)", requestID: 0)
                case let .frameTooSmall(length):
                    fail(.malformedPayload, "frame length \(length) is too small for an opcode and request id", requestID: 0)
                }
                return
            }
            guard let frame else { return }
            handleFrame(frame)
        }
    }

    /// Queues a response frame; drops the connection if its client has stopped reading.
    func send(_ response: Response, requestID: UInt32) {
        guard !closed else { return }
        response.encodeFrame(requestID: requestID, into: &output)
        checkOutputLimit()
    }

    /// Drops the connection if its client has stopped reading and the buffer is over the cap.
    func checkOutputLimit() {
        if output.count > server.configuration.maxOutputBytes {
            server.logger.log(.warning, "connection.dropped", ["peer": peer.description, "reason": "client not reading",
                                                                "buffered_bytes": String(output.count)])
            close(reason: "output buffer over \(server.configuration.maxOutputBytes) bytes")
        }
    }

    /// Marks the handshake done, so the connection is never closed to make room.
    func finishHandshake() {
        handshakeFinished = true
        server.admission.handshakeFinished(self, host: peer.host)
    }

    /// Closes a connection still in its handshake to make room for a new one
    /// (`ConnectionAdmission`); one that finished meanwhile stays.
    func evict() {
        guard !handshakeFinished, !closed, !closing else { return }
        fail(.tooManyConnections, "closed to make room for a new connection: the server is at its connection limit "
             + "and this one had not finished its handshake", requestID: 0)
    }

    /// Sends an error that ends the connection, then closes once it is flushed.
    func fail(_ code: ErrorCode, _ message: String, requestID: UInt32) {
        server.counters.protocolErrors.wrappingAdd(1, ordering: .relaxed)
        server.logger.log(.info, "connection.refused", ["peer": peer.description, "code": code.name, "message": message])
        send(.error(code, message), requestID: requestID)
        closing = true
        flush()
    }

    /// Flushes after the loop's current batch of completions instead of now.
    func flushSoon() {
        guard !flushDeferredScheduled, !closed else { return }
        flushDeferredScheduled = true
        loop.flushAfterInbox(self)
    }

    func flushDeferred() {
        flushDeferredScheduled = false
        flush()
    }

    /// Writes what the socket takes; watches for writability when it takes less.
    func flush() {
        guard !closed else { return }
        let high = server.configuration.outputHighWaterBytes
        // A follow stream refills the buffer as the socket drains, a bounded number of
        // pages per call so other connections get their turn.
        for _ in 0..<8 {
            var blocked = false
            while output.count > 0 {
                let written: Int?
                do {
                    written = try output.bytes.withUnsafeBytes { try Socket.write(descriptor, $0) }
                } catch {
                    close(reason: "write failed: \(error)")
                    return
                }
                guard let written else { blocked = true; break }
                output.removeFirst(written)
            }
            if blocked || closed || output.count >= high / 2 || !pumpFollow() { break }
        }
        let shouldPause = output.count > high
        if output.count == 0 && closing && inFlight == 0 {
            close(reason: nil)
            return
        }
        let wantWrites = output.count > 0
        if wantWrites != watchingWrites || shouldPause != readingPaused {
            watchingWrites = wantWrites
            readingPaused = shouldPause
            loop.modify(descriptor, events: (readingPaused || closing ? 0 : readEvents) | (wantWrites ? EPOLLOUT.rawValue : 0))
        }
    }

    /// Closes the socket and forgets the connection.
    func close(reason: String?) {
        guard !closed else { return }
        closed = true
        if let follow { server.archive.removeObserver(follow.observer) }
        follow = nil
        loop.unregister(descriptor)
        SystemCall.close(descriptor)
        server.connectionClosed(self)
        if let reason { server.logger.log(.debug, "connection.closed", ["peer": peer.description, "reason": reason]) }
    }
}
