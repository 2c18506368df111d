import Foundation
import Testing

/// Runs the package's executables from the directory the test bundle was built into, with
/// output captured in temporary files (pipes could fill up and stall a chatty process).
enum CommandLineRunner {
    /// What a finished run left behind.
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The build products directory: where the test bundle and the executables are.
    static let productsDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    /// The path of an executable built alongside the tests, if it was built.
    static func executable(_ name: String) -> String? {
        let path = productsDirectory.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Whether `quotes` was built, so tests that run it can run.
    static var hasQuotes: Bool { executable("quotes") != nil }

    /// Runs `quotes` with `arguments`, standard input from `input`, and no QUOTES_SERVER
    /// unless `environment` sets it.
    static func quotes(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Outcome {
        try run(try #require(executable("quotes")), arguments, input: input, environment: environment)
    }

    static func run(_ path: String, _ arguments: [String], input: String, environment: [String: String]) throws -> Outcome {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputFile = directory.appendingPathComponent("stdin")
        let outputFile = directory.appendingPathComponent("stdout")
        let errorFile = directory.appendingPathComponent("stderr")
        try Data(input.utf8).write(to: inputFile)
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["QUOTES_SERVER"] = nil
        processEnvironment.merge(environment) { $1 }
        process.environment = processEnvironment
        let inputHandle = try FileHandle(forReadingFrom: inputFile)
        let outputHandle = try FileHandle(forWritingTo: outputFile)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer {
            try? inputHandle.close()
            try? outputHandle.close()
            try? errorHandle.close()
        }
        process.standardInput = inputHandle
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self))
    }

    /// A new empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("quotes-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
