import Foundation
import Testing

/// A `quoted` started for one test on a loopback port the OS picks and a temporary data
/// directory; `stop()` sends SIGTERM and removes the directory.
final class ServerProcess {
    /// `HOST:PORT` the server listens on, from its `listening address=…` log line.
    let address: String
    private let process: Process
    private let directory: URL

    /// Whether `quoted` was built alongside the tests.
    static var isAvailable: Bool { CommandLineRunner.executable("quoted") != nil && CommandLineRunner.hasQuotes }

    /// Starts `quoted` on an ephemeral port with a fresh empty data directory, and
    /// `extraArguments` after the defaults.
    init(_ extraArguments: [String] = []) throws {
        directory = try CommandLineRunner.temporaryDirectory()
        let log = directory.appendingPathComponent("quoted.log")
        try Data().write(to: log)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(CommandLineRunner.executable("quoted")))
        process.arguments = ["--listen", "127.0.0.1:0", "--data", directory.appendingPathComponent("data").path, "--no-seed"]
            + extraArguments
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardError = logHandle
        process.standardOutput = logHandle
        try process.run()
        try? logHandle.close()
        var found: String?
        for _ in 0..<200 where found == nil {
            let text = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
            if let range = text.range(of: "address=") {
                found = String(text[range.upperBound...].prefix { !$0.isWhitespace })
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found else {
            process.terminate()
            process.waitUntilExit()
            throw ServerDidNotStart(log: String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))
        }
        address = found
    }

    /// Stops the server and forgets its data.
    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `quotes --server <address>` with `arguments`.
    func quotes(_ arguments: [String], input: String = "") throws -> CommandLineRunner.Outcome {
        try CommandLineRunner.quotes(["--server", address] + arguments, input: input)
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        let log: String
        var description: String { "quoted did not report its address; its log:\n\(log)" }
    }
}
