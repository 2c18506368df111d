import QuoteCLISupport
import QuoteClient
import QuoteCore

/// Prints archived quotes on standard output: with `--json` one `ArchivedQuote.jsonLine`
/// per quote and nothing else; otherwise `QuoteFormatter` blocks separated by blank lines.
struct QuotePrinter {
    /// Whether to print JSON Lines.
    let json: Bool
    /// The column width text wraps to.
    let width: Int
    /// How many quotes were printed so far.
    private(set) var count = 0

    init(json: Bool, width: Int) {
        self.json = json
        self.width = width
    }

    /// Prints one quote.
    mutating func print(_ quote: ArchivedQuote) {
        if json {
            Terminal.output(quote.jsonLine)
        } else {
            if count > 0 { Terminal.output("") }
            for line in QuoteFormatter.lines(quote, width: width) { Terminal.output(line) }
        }
        count += 1
    }
}
