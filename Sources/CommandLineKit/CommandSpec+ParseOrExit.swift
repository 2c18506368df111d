#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CommandSpec {
    /// Parses the arguments, or handles the outcomes an executable never wants to see:
    /// prints help to standard output and exits 0, or prints a usage error to standard error
    /// and exits with `UsageError.exitCode`.
    public func parseOrExit(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> ParsedCommand {
        do throws(UsageError) {
            switch try parse(arguments) {
            case .command(let parsed):
                return parsed
            case .help(_, let text):
                print(text)
                exit(0)
            }
        } catch {
            error.printAndExit()
        }
    }
}
