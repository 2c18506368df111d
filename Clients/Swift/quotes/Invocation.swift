import CommandLineKit
import QuoteClient
import QuoteCore
import QuotePOSIX

/// One run of a subcommand: its command line and the shared configuration.
struct Invocation {
    /// The parsed command line.
    let parsed: ParsedCommand
    /// Server, timeout and output format.
    let configuration: Configuration

    /// Connects to the server and says HELLO.
    func connect() throws(Failure) -> ServerSession {
        let address = configuration.server
        do {
            let client = try ArchiveClient(
                address: address, timeoutSeconds: configuration.timeoutSeconds,
                clientName: "quotes/\(Configuration.version)", token: configuration.token)
            return ServerSession(client: client, address: address)
        } catch {
            throw Failure(error, server: address, connecting: true)
        }
    }

    /// Prints quotes the way `--json` asks.
    func quotePrinter() -> QuotePrinter {
        QuotePrinter(json: configuration.json, width: Terminal.columns)
    }

    /// An error about this command line, shown with its usage.
    func usageError(_ message: String) -> Failure {
        .usage(parsed.usageError(message))
    }
}

/// A connected client and the address it reached, turning client errors into failures.
struct ServerSession {
    /// The connected client.
    let client: ArchiveClient
    /// Where it is connected, for messages.
    let address: SocketAddress

    /// Runs one or more client calls; a client error becomes the failure it maps to.
    func run<Result>(_ body: (ArchiveClient) throws(ClientError) -> Result) throws(Failure) -> Result {
        do {
            return try body(client)
        } catch {
            throw Failure(error, server: address)
        }
    }
}
