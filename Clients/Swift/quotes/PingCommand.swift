import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes ping`: checks the server answers and shows the round-trip time.
enum PingCommand: Subcommand {
    static let spec = CommandSpec(name: "ping", abstract: "Check the server answers, and how fast.")

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let session = try invocation.connect()
        let seconds = try session.run { client throws(ClientError) in try client.ping() }
        let milliseconds = (seconds * 1_000_000).rounded() / 1_000
        let server = session.client.server
        if invocation.configuration.json {
            Terminal.output(JSONText.object([
                ("server", session.address.description), ("name", server.serverName), ("rtt_ms", milliseconds),
            ]))
        } else {
            Terminal.output("pong from \(session.address) (\(server.serverName)) in \(milliseconds) ms")
        }
        return .success
    }
}
