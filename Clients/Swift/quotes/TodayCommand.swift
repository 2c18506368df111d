import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes today [filters]`: the quote of the day.
enum TodayCommand: Subcommand {
    static let spec = CommandSpec(
        name: "today",
        abstract: "Show the quote of the day.",
        discussion: """
            The server picks it from the UTC date and the filters, so everyone asking with the \
            same filters on the same day gets the same quote. Exits with 1 when no quote matches.
            """,
        options: FilterOptions.specs)

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        try FilterOptions.showOne(invocation) { client, filter throws(ClientError) in try client.today(filter) }
    }
}
