import Dispatch
import QuoteCore
import QuoteStore

// Turning frames into answers. Reads are answered inline on the loop thread (the store's
// read lock lets both loops search at once); writes go to the store's group commit and
// are answered when their completion comes back to this loop.
extension Connection {
    func handleFrame(_ frame: Frame) {
        server.counters.count(opcode: frame.opcode.rawValue)
        if server.requiresAuthentication && role == nil {
            framesBeforeAuthentication += 1
            if framesBeforeAuthentication > Server.preAuthenticationMaxFrames {
                fail(.authenticationRequired, "too many frames before authenticating", requestID: frame.requestID)
                return
            }
        }
        let request: Request?
        do {
            request = try Request.decode(opcode: frame.opcode, payload: frame.payload)
        } catch {
            // A HELLO that does not decode (wrong magic, garbage) is a failed handshake.
            let code: ErrorCode = frame.opcode == .hello || !greeted ? .handshakeRequired : .malformedPayload
            fail(code, "\(frame.opcode) payload does not decode: \(error)", requestID: frame.requestID)
            return
        }
        guard let request else {
            let code: ErrorCode = greeted ? .unknownOpcode : .handshakeRequired
            fail(code, "unknown opcode \(frame.opcode)", requestID: frame.requestID)
            return
        }
        if case let .hello(hello) = request {
            greet(hello, requestID: frame.requestID)
            return
        }
        guard greeted else {
            fail(.handshakeRequired, "the first request must be HELLO", requestID: frame.requestID)
            return
        }
        if server.requiresAuthentication {
            if case let .auth(name, clientNonce, proof) = request {
                authenticate(name: name, clientNonce: clientNonce, proof: proof, requestID: frame.requestID)
                return
            }
            guard let role else {
                fail(.authenticationRequired, "authenticate with AUTH before \(frame.opcode)", requestID: frame.requestID)
                return
            }
            guard role.allows(frame.opcode) else {
                send(.error(.permissionDenied, "a \(role) token may not send \(frame.opcode)"), requestID: frame.requestID)
                return
            }
        } else if case .auth = request {
            send(.error(.authenticationFailed, "this server has no tokens; no authentication needed"), requestID: frame.requestID)
            return
        }
        answer(request, requestID: frame.requestID)
    }

    private func greet(_ hello: Hello, requestID: UInt32) {
        guard hello.minVersion <= Hello.currentVersion && Hello.currentVersion <= hello.maxVersion else {
            let advice = hello.maxVersion < Hello.currentVersion
                ? "; upgrade the client (quotes, the Swift QuoteClient or the Python quotearchive package) to one that speaks \(Hello.currentVersion)"
                : ""
            fail(.unsupportedVersion, "this server speaks protocol version \(Hello.currentVersion); "
                 + "the client asked for \(hello.minVersion)...\(hello.maxVersion)" + advice, requestID: requestID)
            return
        }
        greeted = true
        var flags: HelloReply.Flags = []
        if server.configuration.readOnly { flags.insert(.readOnly) }
        if server.requiresAuthentication {
            flags.insert(.authenticationRequired)
            if serverNonce.isEmpty { serverNonce = Authentication.randomBytes() }
        }
        send(.hello(HelloReply(version: Hello.currentVersion, nodeID: server.archive.nodeID, serverName: Server.versionName,
                               maxFrameBytes: UInt32(server.configuration.maxFrameBytes), flags: flags,
                               serverNonce: serverNonce)),
             requestID: requestID)
        if !server.requiresAuthentication && !handshakeFinished { finishHandshake() }
    }

    /// Checks an AUTH proof in constant time. A failure is answered after a delay, with one
    /// generic error whatever was wrong, and counts against the client's host.
    private func authenticate(name: String, clientNonce: [UInt8], proof: [UInt8], requestID: UInt32) {
        let host = peer.host
        if server.isAuthenticationLocked(host: host) {
            fail(.authenticationFailed, "authentication failed", requestID: requestID)
            return
        }
        let entry = server.tokens.entry(named: name)
        let secret = entry?.secret ?? Authentication.randomBytes()
        let expected = Authentication.clientProof(secret: secret, serverNonce: serverNonce, clientNonce: clientNonce)
        let valid = HMACSHA256.constantTimeEquals(proof, expected) && entry != nil
            && clientNonce.count == Authentication.nonceBytes
        guard valid, let entry else {
            server.recordAuthenticationFailure(host: host)
            server.logger.log(.warning, "authentication.failed", ["peer": peer.description, "token": name])
            // Stop reading and answer later: a guesser gets one try a second per connection.
            inFlight += 1
            closing = true
            loop.modify(descriptor, events: 0)
            let loop = self.loop
            DispatchQueue.global().asyncAfter(deadline: .now() + Connection.authenticationFailureDelaySeconds) { [self] in
                loop.execute { [self] in
                    inFlight -= 1
                    closing = false
                    fail(.authenticationFailed, "authentication failed", requestID: requestID)
                }
            }
            return
        }
        role = entry.role
        if !handshakeFinished { finishHandshake() }
        decoder.maxFrameBytes = server.configuration.maxFrameBytes
        server.logger.log(.debug, "authentication.succeeded", ["peer": peer.description, "token": name, "role": entry.role.description])
        let serverProof = Authentication.serverProof(secret: entry.secret, serverNonce: serverNonce, clientNonce: clientNonce)
        send(.authenticated(role: entry.role.rawValue, serverProof: serverProof), requestID: requestID)
    }

    private func answer(_ request: Request, requestID: UInt32) {
        let archive = server.archive
        switch request {
        case .hello, .auth:
            break
        case let .ping(bytes):
            send(.pong(bytes), requestID: requestID)
        case let .get(id):
            respondEncoded(requestID, opcode: Opcode.get.response) { (writer) throws(ArchiveError) in
                try archive.encodeGet(id, into: &writer)
            }
        case let .search(filter, limit, cursor):
            guard (1...Request.maxSearchLimit).contains(limit) else {
                send(.error(.invalidQuery, "limit must be 1...\(Request.maxSearchLimit), not \(limit)"), requestID: requestID)
                return
            }
            let encode = { @Sendable (writer: inout ByteWriter) throws(ArchiveError) in
                try archive.encodeSearchPage(filter, limit: Int(limit), cursor: cursor, into: &writer)
            }
            // Word and tag searches can walk long posting lists: off the loop. Speaker and
            // date searches take microseconds and stay.
            if filter.words.isEmpty && filter.tags.isEmpty {
                respondEncoded(requestID, opcode: Opcode.search.response, encode)
            } else {
                respondOffLoop(requestID, opcode: Opcode.search.response, encode)
            }
        case let .random(filter, day):
            respond(requestID) { () throws(ArchiveError) in .randomQuote(try archive.random(filter, day: day)) }
        case .stats:
            send(.stats(server.statistics()), requestID: requestID)
        case .digest:
            let digest = archive.digest()
            send(.digest(liveCount: digest.liveCount, content: digest.digest, ops: digest.opsDigest), requestID: requestID)
        case let .digestRange(prefix):
            // The whole archive comes from kept sums; a longer prefix reads every id.
            if prefix.isEmpty {
                send(.digestRange(archive.digestRange(prefix: prefix)), requestID: requestID)
            } else {
                respondOffLoop(requestID, opcode: Opcode.digestRange.response) { (writer) throws(ArchiveError) in
                    archive.digestRange(prefix: prefix).encode(into: &writer)
                }
            }
        case let .count(filter):
            respondOffLoop(requestID, opcode: Opcode.count.response) { (writer) throws(ArchiveError) in
                writer.writeInteger(UInt64(try archive.count(filter)))
            }
        case let .speakers(query, limit):
            guard (1...Request.maxSearchLimit).contains(limit) else {
                send(.error(.invalidQuery, "limit must be 1...\(Request.maxSearchLimit), not \(limit)"), requestID: requestID)
                return
            }
            respondOffLoop(requestID, opcode: Opcode.speakers.response) { (writer) throws(ArchiveError) in
                let (matching, speakers) = try archive.speakers(matching: query, limit: Int(limit))
                Response.speakers(matching: UInt32(clamping: matching), speakers).encodePayload(into: &writer)
            }
        case let .changes(since, maxOps, follow):
            startChanges(since: since, maxOps: Int(min(max(maxOps, 1), 10_000)), follow: follow, requestID: requestID)
        case let .add(quotes, replace):
            guard !server.configuration.readOnly else {
                send(.error(.readOnly, "this server is read-only"), requestID: requestID)
                return
            }
            guard quotes.count <= Request.maxBatchCount else {
                send(.error(.batchTooLarge, "\(quotes.count) quotes in one ADD; the limit is \(Request.maxBatchCount)"),
                     requestID: requestID)
                return
            }
            inFlight += 1
            archive.add(quotes, replace: replace) { [self] results in
                loop.execute { [self] in finishWrite(.added(results), requestID: requestID) }
            }
        case let .edit(id, quote):
            guard !server.configuration.readOnly else {
                send(.error(.readOnly, "this server is read-only"), requestID: requestID)
                return
            }
            inFlight += 1
            archive.edit(id, to: quote) { [self] result in
                let response: Response
                switch result {
                case let .success((answer, previous)): response = .edited(answer, previous: previous)
                case let .failure(error): response = .error(error.code, error.description)
                }
                loop.execute { [self] in finishWrite(response, requestID: requestID) }
            }
        case let .apply(ops):
            guard !server.configuration.readOnly else {
                send(.error(.readOnly, "this server is read-only"), requestID: requestID)
                return
            }
            inFlight += 1
            archive.apply(ops) { [self] result in
                let response: Response
                switch result {
                case let .success(count): response = .applied(UInt32(count))
                case let .failure(error): response = .error(error.code, error.description)
                }
                loop.execute { [self] in finishWrite(response, requestID: requestID) }
            }
        case let .delete(id):
            guard !server.configuration.readOnly else {
                send(.error(.readOnly, "this server is read-only"), requestID: requestID)
                return
            }
            inFlight += 1
            archive.delete(id) { [self] result in
                let response: Response
                switch result {
                case let .success(id): response = .deleted(id)
                case let .failure(error): response = .error(error.code, error.description)
                }
                loop.execute { [self] in finishWrite(response, requestID: requestID) }
            }
        }
    }

    private func respond(_ requestID: UInt32, _ body: () throws(ArchiveError) -> Response) {
        do {
            send(try body(), requestID: requestID)
        } catch {
            send(.error(error.code, error.description), requestID: requestID)
        }
    }

    /// Queues a response whose payload the store writes straight into the output buffer
    /// (no values built and re-encoded); an error takes the frame's place.
    private func respondEncoded(_ requestID: UInt32, opcode: Opcode,
                                _ payload: (inout ByteWriter) throws(ArchiveError) -> Void) {
        guard !closed else { return }
        do throws(ArchiveError) {
            try Frame.encode(opcode: opcode, requestID: requestID, into: &output, body: payload)
            checkOutputLimit()
        } catch {
            send(.error(error.code, error.description), requestID: requestID)
        }
    }

    /// Answers an expensive read on the server's `QueryPool`, the frame built there and
    /// appended here on the loop; responses may overtake it (PROTOCOL.md §5). A connection
    /// with `QueryPool.maxQueuedPerConnection` already there is answered on the loop, so
    /// one client cannot fill the pool's queue without bound. Counted in `inFlight`, so
    /// the connection is neither idle nor closed while its answer is being made.
    private func respondOffLoop(_ requestID: UInt32, opcode: Opcode,
                                _ payload: @escaping @Sendable (inout ByteWriter) throws(ArchiveError) -> Void) {
        guard queriesOffLoop < QueryPool.maxQueuedPerConnection else {
            respondEncoded(requestID, opcode: opcode, payload)
            return
        }
        queriesOffLoop += 1
        inFlight += 1
        let loop = self.loop
        server.queries.submit { [self] in
            var writer = ByteWriter(capacity: 4096)
            do throws(ArchiveError) {
                try Frame.encode(opcode: opcode, requestID: requestID, into: &writer, body: payload)
            } catch {
                writer = ByteWriter(capacity: 256)
                Response.error(error.code, error.description).frame(requestID: requestID).encode(into: &writer)
            }
            let frame = writer.bytes
            loop.execute { [self] in
                queriesOffLoop -= 1
                inFlight -= 1
                guard !closed else { return }
                output.writeBytes(frame)
                checkOutputLimit()
                flushSoon()
            }
        }
    }

    private func finishWrite(_ response: Response, requestID: UInt32) {
        inFlight -= 1
        guard !closed else { return }
        send(response, requestID: requestID)
        // Writes complete in batches: their responses leave together, one send per connection.
        flushSoon()
    }

    // MARK: CHANGES

    private func startChanges(since: UInt64, maxOps: Int, follow followRequested: Bool, requestID: UInt32) {
        guard followRequested else {
            _ = queueChangesPage(since: since, maxOps: maxOps, requestID: requestID)
            return
        }
        if let previous = follow { server.archive.removeObserver(previous.observer) }
        let loop = self.loop
        let observer = server.archive.addObserver { [self] _ in
            loop.execute { [self] in if !closed { flush() } }
        }
        follow = FollowState(requestID: requestID, sentThrough: since, maxOps: maxOps, observer: observer)
        flush()
    }

    /// Queues a CHANGES_OK frame of the ops after `since`, copied from the log, or the
    /// error that took its place (then nil). Returns the last sequence number it carries
    /// (nil when empty) and the archive's.
    private func queueChangesPage(since: UInt64, maxOps: Int, requestID: UInt32) -> (lastSent: UInt64?, lastSequence: UInt64)? {
        do throws(ArchiveError) {
            let page = try Frame.encode(opcode: Opcode.changes.response, requestID: requestID, into: &output) {
                (output) throws(ArchiveError) in
                try server.archive.encodeChanges(since: since, maxOps: maxOps, into: &output)
            }
            checkOutputLimit()
            return page
        } catch {
            send(.error(error.code, error.description), requestID: requestID)
            return nil
        }
    }

    /// Sends follow pages until caught up or the output buffer is full; `flush` calls it
    /// again as the client drains, so a slow follower is paced, not buffered without end.
    /// On catching up it sends one page with no ops: the client then knows it is current.
    @discardableResult
    func pumpFollow() -> Bool {
        guard var state = follow, !closed, !closing else { return false }
        let before = output.count
        defer { if follow != nil { follow = state } }
        while output.count < server.configuration.outputHighWaterBytes {
            let frameStart = output.count
            guard let page = queueChangesPage(since: state.sentThrough, maxOps: state.maxOps, requestID: state.requestID) else {
                return true
            }
            guard let lastSent = page.lastSent else {
                // Nothing new: the empty page goes out once, to say the stream is current.
                if state.announcedCaughtUp { output.truncate(to: frameStart) }
                state.announcedCaughtUp = true
                return output.count > before
            }
            state.sentThrough = lastSent
            state.announcedCaughtUp = lastSent >= page.lastSequence
        }
        return output.count > before
    }
}
