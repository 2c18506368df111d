import CommandLineKit
import Dispatch
import QuoteClient
import QuoteCore
import QuotePOSIX
import Synchronization

/// Whether `connect` has finished, shared with the timer that explains a slow HELLO.
private final class ConnectionFlag: Sendable {
    let done = Mutex(false)
}

/// One run of a subcommand: its command line and the shared configuration.
struct Invocation {
    /// The parsed command line.
    let parsed: ParsedCommand
    /// Server, timeout and output format.
    let configuration: Configuration

    /// Connects to the server and says HELLO.
    func connect() throws(Failure) -> ServerSession {
        let address = configuration.server
        let timeout = configuration.timeoutSeconds
        // A quote server answers HELLO at once. Something else that accepts and says nothing
        // (an HTTP server waiting for a request line) is named within a second on a
        // terminal, while the wait for an answer goes on up to --timeout.
        let connected = ConnectionFlag()
        if Terminal.standardErrorIsTerminal && timeout > Invocation.helloPatienceSeconds {
            DispatchQueue.global().asyncAfter(deadline: .now() + Invocation.helloPatienceSeconds) {
                connected.done.withLock { done in
                    if !done {
                        Terminal.error("quotes: \(address) has not answered HELLO after 1 s: is it a quote archive server? "
                                       + "(waiting up to \(Int(timeout.rounded())) s)\n")
                    }
                }
            }
        }
        defer { connected.done.withLock { $0 = true } }
        do {
            let client = try ArchiveClient(
                address: address, timeoutSeconds: timeout,
                clientName: "quotes/\(Configuration.version)", token: configuration.token)
            return ServerSession(client: client, address: address)
        } catch {
            throw Failure(error, server: address, connecting: true)
        }
    }

    /// How long a terminal waits in silence for HELLO_OK before it is told why.
    static let helloPatienceSeconds = 1.0

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
