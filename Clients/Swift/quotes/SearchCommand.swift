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
            var matching = (count: printer.count, more: false)
            if !cursor.isEmpty {
                // COUNT answers exactly; a server from before it can only say there are more.
                if let total = try? session.client.count(filter) {
                    matching = (max(total, printer.count), false)
                } else {
                    matching = (printer.count, true)
                }
            }
            Terminal.error(countLine(shown: printer.count, matching: matching.count, more: matching.more))
        }
        if printer.count == 0 && !filter.speaker.isEmpty, cursor.isEmpty,
           let hint = SpeakerSuggestion.message(SpeakerSuggestion.closest(to: filter.speaker, using: session.client)) {
            Terminal.error("quotes: no quote by a speaker matching '\(filter.speaker)'; \(hint)\n")
        }
        return printer.count == 0 ? .nothingFound : .success
    }

    /// `3 quotes`, or `20 of 1,727 quotes shown` when the limit cut the list short.
    static func countLine(shown: Int, matching: Int, more: Bool) -> String {
        if shown == 0 { return "no quotes found\n" }
        if matching <= shown && !more { return "\n\(grouped(shown)) \(shown == 1 ? "quote" : "quotes")\n" }
        let total = more ? "more than \(grouped(matching))" : grouped(matching)
        return "\n\(grouped(shown)) of \(total) quotes shown (--limit N or --all for more)\n"
    }

    /// 1727 as `1,727`.
    static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        return ([digits] + groups).joined(separator: ",")
    }
}
