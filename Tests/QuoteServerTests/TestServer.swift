import Foundation
import QuoteClient
import QuoteCore
import QuotePOSIX

/// A real `quoted` process on an ephemeral loopback port with a temporary data directory.
///
/// Tests start the built binary, read the bound address from its "listening" log line,
/// and stop it with a signal. The data directory outlives a restart and is removed by
/// `removeData()`.
final class TestServer: @unchecked Sendable {
    // @unchecked: mutated only by the test that owns it, from one task at a time.
    let dataDirectory: String
    private(set) var process: Process?
    private(set) var address = SocketAddress(host: "127.0.0.1", port: 0)
    private(set) var qotdAddress: SocketAddress?
    private var stderrLines: [String] = []
    /// Signalled when the process's stderr reaches its end: every line it logged is read.
    private var stderrFinished: DispatchSemaphore?
    private let stderrLock = NSLock()
    let extraArguments: [String]

    /// The repository's root, found from this file's path.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// The directory holding the built executables (next to the test bundle).
    static let binDirectory: URL = {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("quoted").path) { return url }
            url.deleteLastPathComponent()
        }
        let fallback = repositoryRoot.appendingPathComponent(".build/debug")
        return fallback
    }()

    static var quotedPath: String { binDirectory.appendingPathComponent("quoted").path }
    static var quotesPath: String { binDirectory.appendingPathComponent("quotes").path }
    static var seedPath: String { repositoryRoot.appendingPathComponent("scripts/seed-quotes.jsonl").path }

    /// The port to listen on; 0 picks a new ephemeral port at each start.
    let port: UInt16
    /// Where the process runs; nil for the test's own working directory.
    let workingDirectory: String?

    /// `seeded` passes `--seed` with the sample quotes, else `--no-seed`; `defaultSeeding`
    /// passes neither, so quoted decides as it does when started by hand.
    init(seeded: Bool = false, defaultSeeding: Bool = false, arguments: [String] = [], dataDirectory: String? = nil,
         port: UInt16 = 0, workingDirectory: String? = nil) throws {
        self.port = port
        self.workingDirectory = workingDirectory
        self.dataDirectory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("quoted-test-\(UUID().uuidString)").path
        let seeding = defaultSeeding ? [] : seeded ? ["--seed", TestServer.seedPath] : ["--no-seed"]
        extraArguments = seeding + arguments
        try start()
    }

    /// Starts (or restarts) the process on a new ephemeral port, waiting until it listens.
    func start(qotd: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestServer.quotedPath)
        process.arguments = ["--listen", "127.0.0.1:\(port)", "--data", dataDirectory, "--log-level", "info"]
            + (qotd ? ["--qotd", "127.0.0.1:0"] : []) + extraArguments
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        stderrLock.lock()
        stderrLines = []
        stderrLock.unlock()
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        stderrFinished = finished
        let buffer = LineBuffer()
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                finished.signal()
                return
            }
            guard let self else { return }
            for line in buffer.append(data) {
                self.stderrLock.lock()
                self.stderrLines.append(line)
                self.stderrLock.unlock()
                if line.contains(" listening ") { ready.signal() }
            }
        }
        try process.run()
        self.process = process
        let listeners = qotd ? 2 : 1
        for _ in 0..<listeners {
            guard ready.wait(timeout: .now() + 20) == .success else {
                process.terminate()
                throw TestServerError(description: "quoted did not start: \(log)")
            }
        }
        for line in logLines where line.contains(" listening ") {
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }),
                  let parsed = SocketAddress(parsing: String(field.dropFirst("address=".count))) else { continue }
            if line.contains("protocol=qotd") { qotdAddress = parsed } else { address = parsed }
        }
    }

    /// Everything the server has logged so far.
    var logLines: [String] {
        stderrLock.lock()
        defer { stderrLock.unlock() }
        return stderrLines
    }

    var log: String { logLines.joined(separator: "\n") }

    /// A connected client.
    func client(timeoutSeconds: Double = 10) throws -> ArchiveClient {
        try ArchiveClient(address: address, timeoutSeconds: timeoutSeconds)
    }

    /// Sends `signal` and waits for the exit; returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        guard let process else { return -1 }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        // The exit can be seen before the last lines it logged are read: tests look for them.
        _ = stderrFinished?.wait(timeout: .now() + 10)
        self.process = nil
        return process.terminationStatus
    }

    /// Stops the process if running and removes the data directory.
    func removeData() {
        if process != nil { stop(signal: SIGKILL) }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A loopback port that was free a moment ago, for servers that must know each other's
/// address before they start.
func freePort() throws -> UInt16 {
    let (descriptor, bound) = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
    close(descriptor)
    return bound.port
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
}

/// Splits a byte stream into lines.
final class LineBuffer: @unchecked Sendable {
    // @unchecked: used from one readability handler at a time.
    private var pending = Data()

    func append(_ data: Data) -> [String] {
        pending.append(data)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
        return lines
    }
}

/// Runs an executable to completion, capturing its output.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

func runCommand(_ path: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; whether it held. A
/// condition that throws counts as not holding yet.
func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return true }
        usleep(20_000)
    }
    return false
}
