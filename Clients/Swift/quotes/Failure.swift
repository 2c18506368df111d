import CommandLineKit
import QuoteClient
import QuotePOSIX

/// Why a subcommand stopped early: a usage error, or a message for standard error with
/// the exit status it deserves.
enum Failure: Error {
    /// The command line is wrong; printed with its usage, exit status 2.
    case usage(UsageError)
    /// Anything else; the message is printed after `quotes: `.
    case failed(String, ExitStatus)

    /// The failure for a client error talking to `server`; `connecting` tells a server that
    /// cannot be reached from one that dropped the connection later.
    init(_ error: ClientError, server: SocketAddress, connecting: Bool = false) {
        switch error {
        case let .server(code, message):
            self = .failed("\(message) [\(code.name)]", ExitStatus(serverCode: code))
        case let .connection(reason):
            // Socket errors repeat the call and the address, which the message already names.
            var reason = reason
            if reason.hasPrefix("connect \(server): ") { reason.removeFirst("connect \(server): ".count) }
            let what = connecting ? "cannot reach \(server)" : "lost the connection to \(server)"
            self = .failed("\(what): \(reason)", .serverOrConnection)
        case let .protocolViolation(reason):
            self = .failed("\(server) broke the protocol: \(reason)", .serverOrConnection)
        case let .notAQuoteServer(reason):
            self = .failed(reason, .serverOrConnection)
        }
    }
}
