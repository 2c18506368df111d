import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes random [filters]`: one quote picked at random among the matches.
enum RandomCommand: Subcommand {
    static let spec = CommandSpec(
        name: "random",
        abstract: "Show a random quote, optionally among those matching filters.",
        discussion: "Exits with 1 when no quote matches.",
        options: FilterOptions.specs)

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        try FilterOptions.showOne(invocation) { client, filter throws(ClientError) in try client.random(filter) }
    }
}
