import QuoteCore
import QuoteStore

// Turning frames into answers. Reads are answered inline on the loop thread (the store's
// read lock lets both loops search at once); writes go to the store's group commit and
// are answered when their completion comes back to this loop.
extension Connection {
    func handleFrame(_ frame: Frame) {
        server.counters.count(opcode: frame.opcode.rawValue)
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
        answer(request, requestID: frame.requestID)
    }

    private func greet(_ hello: Hello, requestID: UInt32) {
        guard hello.minVersion <= Hello.currentVersion && Hello.currentVersion <= hello.maxVersion else {
            fail(.unsupportedVersion, "this server speaks protocol version \(Hello.currentVersion); "
                 + "the client asked for \(hello.minVersion)...\(hello.maxVersion)", requestID: requestID)
            return
        }
        greeted = true
        var flags: HelloReply.Flags = []
        if server.configuration.readOnly { flags.insert(.readOnly) }
        send(.hello(HelloReply(version: Hello.currentVersion, nodeID: server.archive.nodeID, serverName: Server.versionName,
                               maxFrameBytes: UInt32(server.configuration.maxFrameBytes), flags: flags)),
             requestID: requestID)
    }

    private func answer(_ request: Request, requestID: UInt32) {
        let archive = server.archive
        switch request {
        case .hello:
            break
        case let .ping(bytes):
            send(.pong(bytes), requestID: requestID)
        case let .get(id):
            respond(requestID) { () throws(ArchiveError) in .quote(try archive.get(id)) }
        case let .search(filter, limit, cursor):
            guard (1...Request.maxSearchLimit).contains(limit) else {
                send(.error(.invalidQuery, "limit must be 1...\(Request.maxSearchLimit), not \(limit)"), requestID: requestID)
                return
            }
            respond(requestID) { () throws(ArchiveError) in
                let page = try archive.search(filter, limit: Int(limit), cursor: cursor)
                return .searchPage(page.quotes, cursor: page.cursor)
            }
        case let .random(filter, day):
            respond(requestID) { () throws(ArchiveError) in .randomQuote(try archive.random(filter, day: day)) }
        case .stats:
            send(.stats(server.statistics()), requestID: requestID)
        case .digest:
            let digest = archive.digest()
            send(.digest(liveCount: digest.liveCount, digest: digest.digest), requestID: requestID)
        case let .changes(since, maxOps, follow):
            startChanges(since: since, maxOps: Int(min(max(maxOps, 1), 10_000)), follow: follow, requestID: requestID)
        case let .add(quotes):
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
            archive.add(quotes) { [self] results in
                loop.execute { [self] in finishWrite(.added(results), requestID: requestID) }
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

    private func finishWrite(_ response: Response, requestID: UInt32) {
        inFlight -= 1
        guard !closed else { return }
        send(response, requestID: requestID)
        flush()
    }

    // MARK: CHANGES

    private func startChanges(since: UInt64, maxOps: Int, follow followRequested: Bool, requestID: UInt32) {
        do {
            let page = try server.archive.changes(since: since, maxOps: maxOps)
            guard followRequested else {
                send(.changes(page.ops, lastSequence: page.lastSequence), requestID: requestID)
                return
            }
            if let previous = follow { server.archive.removeObserver(previous.observer) }
            let loop = self.loop
            let observer = server.archive.addObserver { [self] _ in
                loop.execute { [self] in if !closed { flush() } }
            }
            follow = FollowState(requestID: requestID, sentThrough: since, maxOps: maxOps, observer: observer)
            flush()
        } catch {
            send(.error(error.code, error.description), requestID: requestID)
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
            let page: (ops: [SequencedOp], lastSequence: UInt64)
            do {
                page = try server.archive.changes(since: state.sentThrough, maxOps: state.maxOps)
            } catch {
                send(.error(error.code, error.description), requestID: state.requestID)
                return true
            }
            if page.ops.isEmpty {
                if !state.announcedCaughtUp {
                    send(.changes([], lastSequence: page.lastSequence), requestID: state.requestID)
                    state.announcedCaughtUp = true
                }
                return output.count > before
            }
            send(.changes(page.ops, lastSequence: page.lastSequence), requestID: state.requestID)
            state.sentThrough = page.ops.last!.sequence
            state.announcedCaughtUp = page.ops.last!.sequence >= page.lastSequence
        }
        return output.count > before
    }
}
