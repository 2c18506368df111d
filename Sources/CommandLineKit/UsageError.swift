#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A command line that does not match its command's declaration, with the usage to show.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exit status for usage errors: 2, the convention of getopt-based tools and shells,
    /// and the number `quotes` documents among its exit codes (0 success, 1 nothing found,
    /// 2 usage, 3 server or connection error, 4 rejected input).
    public static let exitCode: Int32 = 2

    /// What is wrong, such as `Unknown option '--speker'. Did you mean '--speaker'?`.
    public let message: String
    /// The usage line of the command the error belongs to, as `CommandSpec.usage` renders it.
    public let usage: String
    /// The names typed to reach that command, such as `["quotes", "search"]`.
    public let commandPath: [String]

    /// Creates an error; `ParsedCommand.usageError(_:)` fills in the usage and path.
    public init(message: String, usage: String, commandPath: [String]) {
        self.message = message
        self.usage = usage
        self.commandPath = commandPath
    }

    /// The message alone.
    public var description: String { message }

    /// The text to print to standard error, without a trailing newline:
    /// `Error: <message>`, `Usage: <usage>`, then a pointer to the command's help.
    public func rendered() -> String {
        "Error: \(message)\nUsage: \(usage)\n  See '\(commandPath.joined(separator: " ")) --help' for more information."
    }

    /// Writes `rendered()` to standard error and exits with `exitCode`.
    public func printAndExit() -> Never {
        // write(2) rather than fputs: the C `stderr` global is shared mutable state to Swift 6.
        let bytes = Array((rendered() + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { break }
            offset += written
        }
        exit(UsageError.exitCode)
    }
}
