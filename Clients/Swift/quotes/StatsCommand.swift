import CommandLineKit
import QuoteCLISupport
import QuoteClient
import QuoteCore

/// `quotes stats`: the server's counters, as an aligned table or one JSON object.
enum StatsCommand: Subcommand {
    static let spec = CommandSpec(name: "stats", abstract: "Show the server's and the archive's counters.")

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let session = try invocation.connect()
        let entries = try session.run { client throws(ClientError) in try client.stats() }
        if invocation.configuration.json {
            Terminal.output(JSONText.object(entries.map { entry -> (String, Any) in
                switch entry.value {
                case let .integer(number): return (entry.name, number)
                case let .text(text): return (entry.name, text)
                }
            }))
        } else {
            for line in TableFormatter.lines(entries.map { ($0.name, $0.value.description) }) { Terminal.output(line) }
        }
        return .success
    }
}
