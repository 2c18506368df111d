import CommandLineKit

/// A `quotes` subcommand: its declaration, and what it does once the line has parsed.
protocol Subcommand {
    /// The name, help, options and arguments.
    static var spec: CommandSpec { get }
    /// Does the work and says how it ended; failures carry their own exit status.
    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus
}
