import CommandLineKit
import QuoteClient
import QuoteCore

/// The filter options `search`, `random` and `today` share, and the `SearchFilter` they make.
enum FilterOptions {
    /// The option declarations, in help order.
    static let specs: [OptionSpec] = [
        .single("speaker", short: "s", valueName: "name", help: "Quotes by a speaker whose name has every word of this, in any order: 'chen', 'mark chen', 'von goethe'."),
        .single("from", valueName: "date", help: "Quotes dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        .single("to", valueName: "date", help: "Quotes dated on or before this date."),
        .single("text", short: "t", valueName: "words", help: "Quotes whose text holds all these words; \"a phrase\" in double quotes, prefix* (2+ letters), -word to exclude."),
        .repeatable("tag", valueName: "tag", help: "Quotes with this tag; repeat to require several."),
        .single("lang", valueName: "lang", help: "Quotes in this language, such as en or fr."),
    ]

    /// The filter the options describe; matching ignores case and accents on the server.
    /// An invalid date is rejected input (exit 4); `--from` after `--to` is a usage error.
    static func filter(_ parsed: ParsedCommand) throws(Failure) -> SearchFilter {
        let (from, to) = (try date(parsed, "from"), try date(parsed, "to"))
        if let from, let to, from.firstDay > to.lastDay {
            throw .usage(parsed.usageError("--from \(from) is after --to \(to): no date lies between them"))
        }
        return SearchFilter(
            speaker: parsed.value("speaker") ?? "", from: from, to: to,
            words: parsed.value("text") ?? "", tags: parsed.values("tag"), lang: parsed.value("lang") ?? "")
    }

    /// The date option `name`, parsed. A malformed or impossible date (`2025-13`,
    /// `2025-02-30`) is rejected input, exit 4, with the reason: the command line parses,
    /// the value is what is wrong, as with an invalid quote.
    static func date(_ parsed: ParsedCommand, _ name: String) throws(Failure) -> QuoteDate? {
        guard let text = parsed.value(name) else { return nil }
        do {
            return try QuoteDate(parsing: text)
        } catch {
            var reason = error.description
            if case let .invalidDate(detail) = error { reason = detail }
            throw .failed("invalid date '\(text)' for --\(name): \(reason) [invalid_date]", .rejectedInput)
        }
    }

    /// Runs a command that shows one quote picked among the filter's matches.
    static func showOne(
        _ invocation: Invocation, pick: (ArchiveClient, SearchFilter) throws(ClientError) -> ArchivedQuote
    ) throws(Failure) -> ExitStatus {
        let filter = try FilterOptions.filter(invocation.parsed)
        let session = try invocation.connect()
        let quote = try session.run { client throws(ClientError) in try pick(client, filter) }
        var printer = invocation.quotePrinter()
        printer.print(quote)
        return .success
    }
}
