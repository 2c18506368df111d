import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes count [filters]`: how many quotes match, without listing them.
enum CountCommand: Subcommand {
    static let spec = CommandSpec(
        name: "count",
        abstract: "Count the quotes that match, without listing them.",
        discussion: """
            Takes the filters 'quotes search' takes and prints how many quotes match them \
            (with --json, {"count": N}). Exits with 1 when none does, as search does.
            """,
        options: FilterOptions.specs)

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let filter = try FilterOptions.filter(invocation.parsed)
        let session = try invocation.connect()
        let count = try session.run { client throws(ClientError) in try client.count(filter) }
        Terminal.output(invocation.configuration.json ? JSONText.object([("count", count)]) : String(count))
        return count == 0 ? .nothingFound : .success
    }
}
