import QuoteCore

/// A JSON Lines file read as quotes, one object per line, with each line's number kept so
/// that a rejection can point at it.
///
/// Blank lines are skipped; CR LF line ends and a leading byte order mark are accepted.
/// Lines that do not parse are collected, not thrown, so one bad line does not stop an import.
public struct JSONLinesFile: Sendable {
    /// A line that parsed as a quote.
    public struct Entry: Sendable, Equatable {
        /// The line number, from 1.
        public var line: Int
        /// The quote, raw (not yet canonical).
        public var quote: Quote
    }

    /// A line that did not parse.
    public struct Failure: Sendable, Equatable {
        /// The line number, from 1.
        public var line: Int
        /// Why it did not parse.
        public var error: QuoteJSONError
    }

    /// The quotes, in file order.
    public var entries: [Entry] = []
    /// The lines that were not quotes, in file order.
    public var failures: [Failure] = []

    /// Parses every non-blank line of `text`.
    public init(parsing text: String) {
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        for var line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if lineNumber == 1 && line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do {
                entries.append(Entry(line: lineNumber, quote: try Quote.parseJSONLine(String(line))))
            } catch {
                failures.append(Failure(line: lineNumber, error: error))
            }
        }
    }
}
