import Foundation
import QuoteClient
import QuoteCore
import Testing

/// `quotes replicate` run as a binary between two real servers.
@Suite struct ReplicateCommandTests {
    /// The JSON summary `quotes --json replicate` prints.
    func summary(_ result: CommandResult) throws -> [String: Any] {
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "stdout: \(result.stdout)")
    }

    func replicate(_ from: TestServer, _ to: TestServer, _ extra: [String] = []) throws -> CommandResult {
        try runCommand(TestServer.quotesPath, ["--json", "replicate", "--from", from.address.description, "--to", to.address.description] + extra)
    }

    /// Adds `count` quotes and deletes every tenth, so the copy carries tombstones too.
    func fill(_ server: TestServer, count: Int, label: String) throws {
        let client = try server.client(timeoutSeconds: 60)
        let ids = try client.add((0..<count).map { Quote(text: "\(label) quote \($0) for the copy", speaker: "\(label) \($0 % 50)") })
            .map(\.id)
        for id in ids.enumerated().filter({ $0.offset % 10 == 0 }).map(\.element) { try client.delete(id.description) }
    }

    @Test func copiesEverythingSoDigestsMatchAndASecondRunAppliesNothing() throws {
        let source = try TestServer()
        defer { source.removeData() }
        let target = try TestServer()
        defer { target.removeData() }
        try fill(source, count: 3_000, label: "Copied")

        let first = try replicate(source, target)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let opsInLog = 3_000 + 300
        let report = try summary(first)
        #expect(report["ops_read"] as? Int == opsInLog)
        #expect(report["ops_applied"] as? Int == opsInLog)
        #expect(report["read_through"] as? Int == opsInLog)
        #expect((report["bytes"] as? Int ?? 0) > 3_000 * 40)
        #expect(try source.client().digest() == target.client().digest())
        #expect(try target.client().digest().liveCount == 2_700)

        let second = try replicate(source, target)
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(try summary(second)["ops_applied"] as? Int == 0)
        #expect(try summary(second)["ops_read"] as? Int == opsInLog)
    }

    @Test func copyingBothWaysConvergesArchivesThatEachHaveTheirOwnWrites() throws {
        let left = try TestServer()
        defer { left.removeData() }
        let right = try TestServer()
        defer { right.removeData() }
        try fill(left, count: 500, label: "Left")
        try fill(right, count: 400, label: "Right")
        // A quote deleted on one side and still live on the other: the later op wins on both.
        let shared = Quote(text: "Both sides hold this one.", speaker: "Shared")
        let id = try left.client().add(shared)
        _ = try right.client().add(shared)
        try right.client().delete(id.description)

        #expect(try replicate(left, right).status == 0)
        #expect(try replicate(right, left).status == 0)
        let digests = try [left, right].map { try $0.client().digest() }
        #expect(digests[0] == digests[1])
        #expect(digests[0].liveCount == 450 + 360)
        #expect((try? left.client().get(id.description)) == nil)
    }

    @Test func followCopiesNewAddsUntilInterruptedThenPrintsTheSummary() throws {
        let source = try TestServer()
        defer { source.removeData() }
        let target = try TestServer()
        defer { target.removeData() }
        try fill(source, count: 200, label: "Before")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestServer.quotesPath)
        process.arguments = ["--json", "replicate", "--from", source.address.description, "--to", target.address.description, "--follow"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let id = try source.client().add(Quote(text: "Added while following.", speaker: "Follower"))
        let deadline = Date().addingTimeInterval(20)
        while (try? target.client().get(id.description)) == nil && Date() < deadline { usleep(20_000) }
        #expect((try? target.client().get(id.description)) != nil)
        #expect(process.isRunning)

        kill(process.processIdentifier, SIGINT)
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try summary(CommandResult(status: 0, stdout: String(decoding: stdout, as: UTF8.self), stderr: ""))
        #expect((report["ops_read"] as? Int ?? 0) >= 200 + 20)
        #expect(try source.client().digest() == target.client().digest())
    }

    @Test func serversWithTokensTakeAReplicateTokenOnTheSourceAndAWriteTokenOnTheTarget() throws {
        // One data directory per server, each with a token file per role, as `quoted token add` prints them.
        func directory(roles: [String]) throws -> (String, [String: String]) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("quoted-replicate-\(UUID().uuidString)").path
            var files: [String: String] = [:]
            for role in roles {
                let added = try runCommand(TestServer.quotedPath, ["token", "add", "\(role)-token", "--role", role, "--data", path])
                try #require(added.status == 0, "\(added.stderr)")
                files[role] = path + "-\(role).token"
                try added.stdout.write(toFile: files[role]!, atomically: true, encoding: .utf8)
            }
            return (path, files)
        }
        let (sourceDirectory, sourceTokens) = try directory(roles: ["write", "replicate"])
        let (targetDirectory, targetTokens) = try directory(roles: ["write"])
        defer { for file in Array(sourceTokens.values) + Array(targetTokens.values) { try? FileManager.default.removeItem(atPath: file) } }
        let source = try TestServer(dataDirectory: sourceDirectory)
        defer { source.removeData() }
        let target = try TestServer(dataDirectory: targetDirectory)
        defer { target.removeData() }
        let writeToken: AccessToken = try #require(AccessToken(parsing: try String(contentsOfFile: sourceTokens["write"]!, encoding: .utf8)))
        let writer = try ArchiveClient(address: source.address, token: writeToken)
        _ = try writer.add((0..<50).map { Quote(text: "Guarded quote \($0)", speaker: "Tokens") })

        let without = try replicate(source, target)
        #expect(without.status == 3)
        #expect(without.stderr.contains("authentication_required"), "stderr: \(without.stderr)")
        let wrongRole = try replicate(source, target, ["--from-token-file", sourceTokens["write"]!, "--to-token-file", targetTokens["write"]!])
        #expect(wrongRole.status == 3)
        #expect(wrongRole.stderr.contains("permission_denied"), "stderr: \(wrongRole.stderr)")
        let copied = try replicate(source, target, ["--from-token-file", sourceTokens["replicate"]!, "--to-token-file", targetTokens["write"]!])
        #expect(copied.status == 0, "stderr: \(copied.stderr)")
        #expect(try summary(copied)["ops_applied"] as? Int == 50)
    }

    @Test func exitCodesFollowTheCLI() throws {
        let source = try TestServer()
        defer { source.removeData() }
        let readOnly = try TestServer(arguments: ["--read-only"])
        defer { readOnly.removeData() }
        try fill(source, count: 10, label: "Refused")

        let refused = try replicate(source, readOnly)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("read_only"), "stderr: \(refused.stderr)")

        let unreachable = try runCommand(TestServer.quotesPath, ["replicate", "--from", source.address.description, "--to", "127.0.0.1:\(try freePort())"])
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("cannot reach"))

        let same = try runCommand(TestServer.quotesPath, ["replicate", "--from", source.address.description, "--to", source.address.description])
        #expect(same.status == 2)
        let missing = try runCommand(TestServer.quotesPath, ["replicate", "--from", source.address.description])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--to"))

        let help = try runCommand(TestServer.quotesPath, ["replicate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: quotes replicate --from <HOST:PORT> --to <HOST:PORT> [--follow]"))
        #expect(try runCommand(TestServer.quotesPath, ["--help"]).stdout.contains("replicate"))
    }
}
