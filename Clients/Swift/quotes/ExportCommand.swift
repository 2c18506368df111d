import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes export`: every quote as JSON Lines on standard output, the format `import` reads.
enum ExportCommand: Subcommand {
    static let spec = CommandSpec(
        name: "export",
        abstract: "Write every quote as JSON Lines on standard output.",
        discussion: """
            One object per line, keys in a fixed order: id, text, speaker, date, source, lang, \
            tags, added, origin. 'quotes import' reads it back: the same quotes get the same ids \
            on any server.
            """)

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let session = try invocation.connect()
        // Page by page, so an archive larger than memory still streams out.
        var quotes = session.client.searchAll(SearchFilter(), pageSize: 1_000).makeIterator()
        while let quote = quotes.next() { Terminal.output(quote.jsonLine) }
        if let error = quotes.error { throw Failure(error, server: session.address) }
        return .success
    }
}
