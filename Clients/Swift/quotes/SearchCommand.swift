import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes search [filters] [--limit N | --all]`: prints the matching quotes in the order
/// the server gives them: oldest date first, undated quotes last, ties by id (PROTOCOL.md §4).
enum SearchCommand: Subcommand {
    /// The most quotes asked for in one page; larger limits take several pages.
    static let pageSize = 500

    static let spec = CommandSpec(
        name: "search",
        abstract: "Find quotes by speaker, date, words, tag or language.",
        discussion: """
            Filters combine: a quote must match all of them. On a terminal at most 20 quotes \
            are shown (--limit, --all); piped or redirected, every match is written unless \
            --limit is given, so scripts never get a silently cut list. Exits with 1 when \
            nothing matches.
            """,
        options: FilterOptions.specs + [
            .single("limit", short: "n", valueName: "count",
                    help: "Show at most this many quotes. (default: 20 on a terminal, else all)"),
            .flag("all", help: "Show every match, ignoring --limit."),
        ])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        let filter = try FilterOptions.filter(parsed)
        let limit: Int
        do {
            if parsed.flag("all") {
                limit = Int.max
            } else if let given = try parsed.int("limit", in: 1...1_000_000) {
                limit = given
            } else {
                limit = Terminal.standardOutputIsTerminal ? 20 : Int.max
            }
        } catch {
            throw .usage(error)
        }
        let session = try invocation.connect()
        var printer = invocation.quotePrinter()
        var cursor: [UInt8] = []
        repeat {
            let want = min(pageSize, limit - printer.count)
            let page = try session.run { client throws(ClientError) in try client.searchPage(filter, limit: want, cursor: cursor) }
            for quote in page.quotes { printer.print(quote) }
            cursor = page.cursor
        } while !cursor.isEmpty && printer.count < limit
        if Terminal.standardErrorIsTerminal && !invocation.configuration.json {
            Terminal.error(countLine(shown: printer.count, more: !cursor.isEmpty))
        }
        return printer.count == 0 ? .nothingFound : .success
    }

    /// `3 quotes`, or a hint that the limit cut the list short.
    static func countLine(shown: Int, more: Bool) -> String {
        if shown == 0 { return "no quotes found\n" }
        let noun = shown == 1 ? "quote" : "quotes"
        return more ? "\n\(shown) \(noun) shown; more match (use --limit or --all)\n" : "\n\(shown) \(noun)\n"
    }
}
