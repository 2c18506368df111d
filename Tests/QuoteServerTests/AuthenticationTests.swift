import Foundation
import QuoteClient
import QuoteCore
import QuotePOSIX
import Testing

/// Tokens, roles, the HMAC exchange and the limits on unauthenticated peers, against a
/// real quoted.
@Suite struct AuthenticationTests {
    /// A data directory with one token per role; returns the directory and the tokens.
    func directoryWithTokens() throws -> (String, [Role: AccessToken]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quoted-auth-\(UUID().uuidString)").path
        var tokens: [Role: AccessToken] = [:]
        for role in Role.allCases {
            let result = try runCommand(TestServer.quotedPath, ["token", "add", "\(role)-token", "--role", role.description, "--data", directory])
            try #require(result.status == 0, "\(result.stderr)")
            let token = AccessToken(parsing: result.stdout)
            try #require(token != nil, "no token in \(result.stdout)")
            tokens[role] = token
        }
        return (directory, tokens)
    }

    @Test func rolesDecideWhatEachTokenMayDo() throws {
        let (directory, tokens) = try directoryWithTokens()
        let server = try TestServer(seeded: true, dataDirectory: directory)
        defer { server.removeData() }
        do {
            _ = try ArchiveClient(address: server.address)
            Issue.record("connected without a token")
        } catch let error {
            #expect(error.code == .authenticationRequired)
        }
        let writer = try ArchiveClient(address: server.address, token: tokens[.write])
        let id = try writer.add(Quote(text: "Trust, but verify.", speaker: "Russian proverb"))
        let reader = try ArchiveClient(address: server.address, token: tokens[.read])
        #expect(try reader.get(id.description).id == id)
        #expect(throws: ClientError.server(code: .permissionDenied, message: "a read token may not send ADD")) {
            try reader.add(Quote(text: "No.", speaker: "Reader"))
        }
        #expect(throws: ClientError.self) { try reader.changes(since: 0) }
        let replica = try ArchiveClient(address: server.address, token: tokens[.replicate])
        #expect(try replica.changes(since: 0).ops.count == 8)
        #expect(throws: ClientError.self) { try replica.delete(id.description) }
    }

    @Test func aWrongSecretGetsOneGenericErrorAfterADelayAndIsLoggedWithoutIt() throws {
        let (directory, tokens) = try directoryWithTokens()
        let server = try TestServer(dataDirectory: directory)
        defer { server.removeData() }
        let real = try #require(tokens[.write])
        let forged = AccessToken(name: real.name, secret: [UInt8](repeating: 7, count: 32))
        let started = Date()
        do {
            _ = try ArchiveClient(address: server.address, token: forged)
            Issue.record("a forged token was accepted")
        } catch let error {
            #expect(error == .server(code: .authenticationFailed, message: "authentication failed"))
        }
        #expect(Date().timeIntervalSince(started) >= 0.9)
        let unknown = AccessToken(name: "nobody", secret: real.secret)
        #expect(throws: ClientError.server(code: .authenticationFailed, message: "authentication failed")) {
            _ = try ArchiveClient(address: server.address, token: unknown)
        }
        #expect(server.log.contains("authentication.failed"))
        #expect(!server.log.contains(Hex.encode(real.secret)))
        #expect(!server.log.contains(Hex.encode(forged.secret)))
    }

    @Test func aHostThatKeepsFailingIsRefusedAtOnce() throws {
        let (directory, tokens) = try directoryWithTokens()
        let server = try TestServer(dataDirectory: directory)
        defer { server.removeData() }
        let forged = AccessToken(name: tokens[.read]!.name, secret: [UInt8](repeating: 9, count: 32))
        // Ten failures in parallel use up the minute's allowance for 127.0.0.1.
        let group = DispatchGroup()
        for _ in 0..<10 {
            group.enter()
            let address = server.address
            Thread.detachNewThread {
                defer { group.leave() }
                _ = try? ArchiveClient(address: address, token: forged)
            }
        }
        #expect(group.wait(timeout: .now() + 30) == .success)
        let started = Date()
        #expect(throws: ClientError.server(code: .authenticationFailed, message: "authentication failed")) {
            _ = try ArchiveClient(address: server.address, token: tokens[.read])
        }
        // Refused outright, without the delay, even with the right secret.
        #expect(Date().timeIntervalSince(started) < 0.9)
    }

    @Test func unauthenticatedPeersMaySendOnlyAFewSmallFrames() throws {
        let (directory, _) = try directoryWithTokens()
        let server = try TestServer(dataDirectory: directory)
        defer { server.removeData() }

        let early = try RawConnection(server.address)
        try early.hello()
        early.send(.search(SearchFilter(), limit: 10, cursor: []), id: 2)
        #expect(try early.readResponse()?.1 == .error(.authenticationRequired, "authenticate with AUTH before SEARCH"))
        #expect(early.isClosedByServer())

        let big = try RawConnection(server.address)
        try big.hello()
        big.send(Request.ping([UInt8](repeating: 1, count: 20_000)).frame(requestID: 3).encoded)
        guard case .error(.frameTooLarge, _)? = try big.readResponse()?.1 else {
            Issue.record("a 20 KB frame before AUTH was not refused")
            return
        }

        let chatty = try RawConnection(server.address)
        for id in 1...5 { chatty.send(.hello(Hello(clientName: "again")), id: UInt32(id)) }
        var answers: [Response] = []
        while let (_, response) = try chatty.readResponse() { answers.append(response) }
        #expect(answers.last == .error(.authenticationRequired, "too many frames before authenticating"))
    }

    @Test func aClientRefusesAServerThatCannotProveItKnowsTheToken() throws {
        let (listener, address) = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { close(listener) }
        let impostor = Thread {
            var flags = fcntl(listener, F_GETFL)
            flags &= ~O_NONBLOCK
            _ = fcntl(listener, F_SETFL, flags)
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            var decoder = FrameDecoder()
            var buffer = [UInt8](repeating: 0, count: 4096)
            var answered = 0
            while answered < 2 {
                let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
                if count <= 0 { return }
                decoder.append(Array(buffer[0..<count]))
                while let frame = try? decoder.next() {
                    let reply: Response = answered == 0
                        ? .hello(HelloReply(version: 1, nodeID: 1, serverName: "impostor", maxFrameBytes: 1 << 20,
                                            flags: .authenticationRequired, serverNonce: Authentication.randomBytes()))
                        : .authenticated(role: Role.write.rawValue, serverProof: [UInt8](repeating: 0, count: 32))
                    let bytes = reply.frame(requestID: frame.requestID).encoded
                    _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                    answered += 1
                }
            }
        }
        impostor.start()
        let token = AccessToken(name: "writer", secret: Authentication.randomBytes())
        do {
            _ = try ArchiveClient(address: address, timeoutSeconds: 5, token: token)
            Issue.record("the client trusted an impostor")
        } catch let error {
            guard case .protocolViolation = error else {
                Issue.record("expected a protocol violation, got \(error)")
                return
            }
        }
    }

    @Test func unsafeSetupsAreRefusedAtStart() throws {
        let (directory, _) = try directoryWithTokens()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory + "/tokens", 0o644)
        let exposed = try runCommand(TestServer.quotedPath, ["--listen", "127.0.0.1:0", "--data", directory, "--no-seed"])
        #expect(exposed.status == 1)
        #expect(exposed.stderr.contains("chmod 600"))

        let open = FileManager.default.temporaryDirectory.appendingPathComponent("quoted-open-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: open) }
        let wide = try runCommand(TestServer.quotedPath, ["--listen", "0.0.0.0:0", "--data", open, "--no-seed"])
        #expect(wide.status == 1)
        #expect(wide.stderr.contains("--insecure-no-auth"))
    }

    @Test func aReplicaPresentsItsPeerToken() throws {
        let (directory, tokens) = try directoryWithTokens()
        let leader = try TestServer(seeded: true, dataDirectory: directory)
        defer { leader.removeData() }
        let tokenFile = directory + "-replicate.token"
        try Data(tokens[.replicate]!.description.utf8).write(to: URL(fileURLWithPath: tokenFile))
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        let follower = try TestServer(arguments: ["--replicate-from", "\(leader.address)=\(tokenFile)"])
        defer { follower.removeData() }
        let writer = try ArchiveClient(address: leader.address, token: tokens[.write])
        let leaderDigest = try writer.digest()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try? follower.client().digest().digest) != leaderDigest.digest { usleep(50_000) }
        #expect(try follower.client().digest().digest == leaderDigest.digest)
    }
}
