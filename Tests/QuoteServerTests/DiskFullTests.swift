import Foundation
import QuoteClient
import QuoteCore
import QuotePOSIX
import Testing

/// Real full disks and real I/O errors under a running `quoted`.
///
/// A full disk is a small tmpfs (`mount -t tmpfs -o size=2m`), which gives genuine ENOSPC
/// and short writes; a failing `fdatasync` is injected with `strace -e inject`. In both,
/// writes must fail with `storage_error` (401) and store nothing, reads must go on, the log
/// must reopen clean with the digest it had, and writes must work again once the fault is
/// gone. These need root (mount) and strace; without them the tests are disabled, saying
/// why. Every mount is unmounted on every path.
@Suite(.serialized) struct DiskFullTests {
    static let isRoot = getuid() == 0

    /// Whether a tmpfs can be mounted here (root, and a kernel and container that allow it).
    static let canMountTmpfs: Bool = {
        guard isRoot, let mount = try? TmpfsMount(megabytes: 1) else { return false }
        mount.unmount()
        return true
    }()

    static let strace: String? = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A quote of about `bytes` bytes, unique by `number`.
    static func filler(_ number: Int, bytes: Int = 1_000, speaker: String = "Filler") -> Quote {
        let words = String(repeating: "full disks happen to everyone ", count: max(1, bytes / 30))
        return Quote(text: "Filler \(number): \(words)", speaker: speaker)
    }

    @Test(.enabled(if: canMountTmpfs, "needs root and `mount -t tmpfs` (run the tests as root to enable)"))
    func fullDiskRejectsAddsWithStorageErrorKeepsReadsAndRecoversWhenSpaceIsFreed() throws {
        let mount = try TmpfsMount(megabytes: 2)
        defer { mount.unmount() }
        let server = try TestServer(dataDirectory: mount.path + "/data")
        defer { server.stop(signal: SIGKILL) }
        let client = try server.client()

        // Fill the disk: batches of 20 quotes of about 1 KB until whole batches fail.
        var acknowledged: [QuoteID] = []
        var rejectedCodes: [ErrorCode] = []
        var number = 0
        for _ in 0..<400 where rejectedCodes.count < 60 {
            let batch = (0..<20).map { _ in number += 1; return DiskFullTests.filler(number) }
            for result in try client.add(batch) {
                switch result.status {
                case .added: acknowledged.append(result.id)
                case .alreadyPresent, .differs, .updated: Issue.record("a new quote was \(result.status.name)")
                case .rejected: rejectedCodes.append(result.code)
                }
            }
        }
        #expect(acknowledged.count > 500, "only \(acknowledged.count) quotes fit in 2 MB")
        #expect(!rejectedCodes.isEmpty, "the disk never filled")
        #expect(rejectedCodes.allSatisfy { $0 == .storageError }, "rejections: \(Set(rejectedCodes.map(\.name)))")
        let atFailure = try client.digest()
        #expect(atFailure.liveCount == UInt64(acknowledged.count))

        // The same quote twice in one ADD: one record would be appended, and the write fails.
        // Neither copy may be reported stored.
        let twice = DiskFullTests.filler(-1, bytes: 40_000)
        let pair = try client.add([twice, twice])
        #expect(pair.map(\.status) == [.rejected, .rejected], "\(pair)")
        #expect(pair.map(\.code) == [.storageError, .storageError])

        // Reads go on, and the failed appends were cut back out of the file.
        #expect(try client.get(acknowledged[acknowledged.count / 2].description).id == acknowledged[acknowledged.count / 2])
        #expect(try client.search(SearchFilter(speaker: "filler")).count == acknowledged.count)
        #expect(try client.digest() == atFailure)
        let logBytes = try DiskFullTests.integerStat(client, "log.bytes")
        let fileBytes = try FileManager.default.attributesOfItem(atPath: mount.path + "/data/quotes.log")[.size] as? Int
        #expect(fileBytes == logBytes, "the log file holds bytes of failed appends")

        // Restart on the still-full disk: the same archive, no recovery complaints. The
        // index snapshot may not fit; if so it is reported and leaves no partial file.
        #expect(server.stop(signal: SIGTERM) == 0)
        #expect(server.log.contains("archive.closed index_snapshot="), "\(server.log)")
        #expect(!FileManager.default.fileExists(atPath: mount.path + "/data/indexes.tmp"))
        try server.start()
        #expect(!server.log.contains("log.tail_truncated") && !server.log.contains("log.repaired"), "\(server.log)")
        let reopened = try server.client()
        #expect(try reopened.digest() == atFailure)

        // Free space: writes work again, and survive a restart.
        try mount.resize(megabytes: 8)
        let later = (0..<50).map { DiskFullTests.filler(100_000 + $0, speaker: "Later") }
        let results = try reopened.add(later)
        #expect(results.allSatisfy { $0.status == .added }, "\(Set(results.map(\.code.name)))")
        #expect(try reopened.add([twice, twice]).map(\.status) == [.added, .alreadyPresent])
        let afterGrowth = try reopened.digest()
        #expect(afterGrowth.liveCount == UInt64(acknowledged.count + 51))
        #expect(server.stop(signal: SIGKILL) != 0)
        try server.start()
        #expect(!server.log.contains("log.tail_truncated") && !server.log.contains("log.repaired"), "\(server.log)")
        #expect(try server.client().digest() == afterGrowth)
    }

    @Test(.enabled(if: strace != nil && isRoot, "needs strace (apt-get install strace) and root"))
    func aFailedFdatasyncFailsItsBatchAndStoresNothing() throws {
        // strace counts calls per thread, and the store's writer runs on whichever Dispatch
        // thread is free: `when=1` fails the first fdatasync of each thread (the archive
        // exists already, so opening it syncs nothing). The first batch always fails; later
        // ones fail only on a thread that has not synced yet, so writing is retried.
        let server = try StracedServer(inject: "fdatasync:error=EIO:when=1")
        defer { server.stopAndRemove() }
        let client = try ArchiveClient(address: server.address, timeoutSeconds: 10)
        let quote = Quote(text: "Written while the disk said EIO", speaker: "Unlucky")
        let failed = try client.add([quote, quote])
        #expect(failed.map(\.status) == [.rejected, .rejected], "\(failed)")
        #expect(failed.map(\.code) == [.storageError, .storageError])
        #expect(try client.digest().liveCount == 0)
        #expect(throws: ClientError.self) { try client.get(quote.canonicalized().id.description) }

        // The fault passes: a retry succeeds, and only it is in the log.
        var stored: QuoteID?
        for _ in 0..<64 where stored == nil {
            let result = try client.add([quote])[0]
            if result.status == .added { stored = result.id } else { #expect(result.code == .storageError) }
        }
        let id = try #require(stored, "no write succeeded after the fault")
        #expect(try client.get(id.description).id == id)
        let digest = try client.digest()
        #expect(digest.liveCount == 1)
        let reopened = try server.restartWithoutStrace()
        #expect(!reopened.log.contains("log.tail_truncated") && !reopened.log.contains("log.repaired"), "\(reopened.log)")
        #expect(try reopened.client().digest() == digest)
    }

    @Test(.enabled(if: strace != nil && isRoot, "needs strace (apt-get install strace) and root"))
    func fdatasyncFailingForeverRefusesWritesButKeepsServingReads() throws {
        let server = try StracedServer(inject: "fdatasync:error=EIO")
        defer { server.stopAndRemove() }
        let client = try ArchiveClient(address: server.address, timeoutSeconds: 10)
        for attempt in 0..<5 {
            let results = try client.add((0..<3).map { DiskFullTests.filler(attempt * 10 + $0) })
            #expect(results.allSatisfy { $0.status == .rejected && $0.code == .storageError }, "\(results)")
        }
        #expect(try client.ping() >= 0)
        #expect(try client.search(SearchFilter()).isEmpty)
        #expect(try client.digest().liveCount == 0)
        #expect(try DiskFullTests.integerStat(client, "log.bytes") == 16)
        let reopened = try server.restartWithoutStrace()
        #expect(!reopened.log.contains("log.tail_truncated") && !reopened.log.contains("log.repaired"), "\(reopened.log)")
        #expect(try reopened.client().digest().liveCount == 0)
    }

    /// A replica whose disk fills keeps retrying with backoff, says `failing` with the
    /// storage error in STATS, and catches up by itself once there is room again.
    @Test(.enabled(if: canMountTmpfs, "needs root and `mount -t tmpfs` (run the tests as root to enable)"))
    func aReplicaOnAFullDiskReportsFailingAndResumesOnItsOwnWhenSpaceReturns() throws {
        let primary = try TestServer(arguments: ["--fsync", "never"])
        defer { primary.removeData() }
        _ = try primary.client(timeoutSeconds: 60).add((0..<3_000).map { DiskFullTests.filler($0) }, batchSize: 500)
        let mount = try TmpfsMount(megabytes: 2)
        defer { mount.unmount() }
        let replica = try TestServer(arguments: ["--replicate-from", primary.address.description, "--read-only"],
                                     dataDirectory: mount.path + "/data")
        defer { replica.stop(signal: SIGKILL) }
        func peer(_ suffix: String) throws -> StatEntry.Value? {
            try replica.client().stats().first { $0.name.hasPrefix("replication.") && $0.name.hasSuffix(suffix) }?.value
        }
        #expect(waitUntil(60) { try peer(".state") == .text("failing") }, "\(replica.log)")
        guard case let .text(error)? = try peer(".last_error") else {
            Issue.record("no last_error")
            return
        }
        #expect(error.contains("storage error"), "\(error)")
        let stored = try replica.client().digest().liveCount
        #expect(stored > 0 && stored < 3_000)
        // Still retrying, not stopped, a few backoffs later.
        usleep(1_500_000)
        #expect(try peer(".state") == .text("failing"))

        try mount.resize(megabytes: 16)
        #expect(waitUntil(60) { try replica.client().digest().liveCount == 3_000 }, "\(replica.log)")
        #expect(waitUntil(30) { try peer(".state") == .text("following") && peer(".lag_ops") == .integer(0) })
        #expect(try replica.client().digest().digest == primary.client().digest().digest)
        #expect(replica.log.contains("state=\"failing"))
        #expect(!replica.log.contains("state=\"stopped"))
    }

    static func integerStat(_ client: ArchiveClient, _ name: String) throws -> Int? {
        for entry in try client.stats() where entry.name == name {
            if case let .integer(value) = entry.value { return Int(value) }
        }
        return nil
    }
}

/// A tmpfs of a given size on a new temporary directory; `unmount` removes both.
struct TmpfsMount {
    let path: String

    init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("quoted-tmpfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try runCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw TestServerError(description: "mount -t tmpfs failed: \(result.stderr)")
        }
    }

    /// Changes the size in place (`mount -o remount,size=`); the files stay.
    func resize(megabytes: Int) throws {
        let result = try runCommand("/bin/mount", ["-o", "remount,size=\(megabytes)m", path])
        guard result.status == 0 else { throw TestServerError(description: "remount failed: \(result.stderr)") }
    }

    func unmount() {
        // Lazy, so a process still holding a file cannot keep the mount alive.
        _ = try? runCommand("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// `quoted` run under `strace -e inject=…` on a temporary data directory, for faults the
/// file system will not produce on demand.
final class StracedServer {
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("quoted-strace-\(UUID().uuidString)").path
    let process = Process()
    let errorFile: URL
    private(set) var address = SocketAddress(host: "127.0.0.1", port: 0)
    private var plain: TestServer?

    /// Creates the archive with a plain `quoted` first, so that opening it under strace
    /// syncs nothing and every fdatasync counted is a write's.
    init(inject: String) throws {
        let creator = try TestServer(dataDirectory: dataDirectory)
        creator.stop(signal: SIGTERM)
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("quoted-strace-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: DiskFullTests.strace ?? "/usr/bin/strace")
        // The injected call must be in the traced set, or strace silently injects nothing.
        process.arguments = ["-f", "-qq", "-o", "/dev/null", "-e", "trace=fdatasync", "-e", "inject=\(inject)",
                             TestServer.quotedPath, "--listen", "127.0.0.1:0", "--data", dataDirectory, "--no-seed"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let log = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains(" listening ") }),
               let field = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }),
               let parsed = SocketAddress(parsing: String(field.dropFirst("address=".count))) {
                address = parsed
                return
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        stopAndRemove()
        throw TestServerError(description: "quoted under strace did not start: \((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")")
    }

    /// The traced `quoted`: strace's child. Signals must go to it, since strace detaches
    /// on SIGINT and SIGTERM and leaves the server running.
    var serverPID: pid_t? {
        let pid = process.processIdentifier
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// Stops the traced server (SIGTERM: a clean shutdown) and starts a plain one on the
    /// same data directory.
    func restartWithoutStrace() throws -> TestServer {
        if let serverPID { kill(serverPID, SIGTERM) }
        process.waitUntilExit()
        let server = try TestServer(dataDirectory: dataDirectory)
        plain = server
        return server
    }

    func stopAndRemove() {
        if process.isRunning {
            if let serverPID { kill(serverPID, SIGKILL) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        plain?.removeData()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try? FileManager.default.removeItem(at: errorFile)
    }
}
