#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import Foundation

// `quotes`: parse, pick the subcommand, run it, and turn how it ended into an exit status.
let arguments = Array(CommandLine.arguments.dropFirst())
if RootCommand.asksForVersion(arguments) {
    Terminal.output("quotes \(Configuration.version)")
    exit(ExitStatus.success.rawValue)
}
let parsed = RootCommand.spec.parseOrExit(arguments)
guard let command = RootCommand.subcommands.first(where: { $0.spec.name == parsed.subcommandPath.first }) else {
    preconditionFailure("the parser selected a subcommand RootCommand does not list")
}
do throws(Failure) {
    let configuration: Configuration
    do {
        configuration = try Configuration(parsed, environment: ProcessInfo.processInfo.environment)
    } catch {
        throw .usage(error)
    }
    let status = try command.run(Invocation(parsed: parsed, configuration: configuration))
    Terminal.flush()
    exit(status.rawValue)
} catch {
    switch error {
    case let .usage(usage):
        usage.printAndExit()
    case let .failed(message, status):
        Terminal.error("quotes: \(message)\n")
        exit(status.rawValue)
    }
}
