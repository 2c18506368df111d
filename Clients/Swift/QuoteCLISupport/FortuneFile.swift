import QuoteCore

// BSD fortune files, as Debian's `fortunes` package ships them in /usr/share/games/fortunes:
// plain text, entries separated by lines holding only `%`, no header. Most quotes end with
// an attribution line, typically indented with tabs:
//
//       Ask not what your country can do for you.
//                       -- John F. Kennedy, Inaugural Address, 1961
//   %
//
// An attribution may run over indented continuation lines and may be followed by an
// editor's note in brackets (`[Great minds think alike?  Ed.]`), which is dropped. Entries
// without one (jokes, riddles, ASCII art) have no speaker, so they cannot be quotes: they are
// skipped and counted. Old files underline with backspaces (`_\bI`, `____\b\b\b\bBODY`) and
// ring bells; since the archive refuses control characters, each line is kept as the
// terminal the files were made for shows it: a backspace erases the character before it,
// other control characters vanish. (C1 controls are not touched: they only appear in
// mis-encoded text, which the server then rejects with a reason, rather than storing garbage.)

/// A fortune file parsed into quotes: the attributed entries, and how many were skipped.
public struct FortuneFile: Sendable, Equatable {
    /// One attributed entry of the file.
    public struct Entry: Sendable, Equatable {
        /// The entry's position among the file's non-empty entries, from 1.
        public var number: Int
        /// The line the entry starts on, from 1.
        public var line: Int
        /// The quote: the entry's text, and the speaker, date and source of its attribution.
        public var quote: Quote
    }

    /// The attributed entries, in file order.
    public var entries: [Entry]
    /// Every non-empty entry, attributed or not.
    public var entryCount: Int
    /// Entries skipped because they have no attribution (or only an attribution).
    public var unattributedCount: Int

    /// The quotes of the attributed entries, in file order.
    public var quotes: [Quote] { entries.map(\.quote) }

    /// Parses a fortune file's text; LF and CR LF line ends are both accepted.
    public init(parsing text: String) {
        entries = []
        entryCount = 0
        unattributedCount = 0
        var lines: [Substring] = []
        var startLine = 1
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if FortuneFile.isSeparator(line) {
                addEntry(lines, startLine: startLine)
                lines = []
                startLine = lineNumber + 1
            } else {
                lines.append(line)
            }
        }
        addEntry(lines, startLine: startLine)
    }

    private mutating func addEntry(_ rawLines: [Substring], startLine: Int) {
        var lines = rawLines.map(FortuneFile.printable)
        let leadingBlanks = lines.prefix { FortuneFile.isBlank($0) }.count
        lines.removeFirst(leadingBlanks)
        while let last = lines.last, FortuneFile.isBlank(last) { lines.removeLast() }
        guard !lines.isEmpty else { return }
        entryCount += 1
        guard let (textLines, attribution) = FortuneFile.splitAttribution(lines) else {
            unattributedCount += 1
            return
        }
        let quote = Quote(
            text: textLines.joined(separator: "\n"), speaker: attribution.speaker, date: attribution.date,
            source: attribution.source)
        entries.append(Entry(number: entryCount, line: startLine + leadingBlanks, quote: quote))
    }

    /// The text lines and the attribution, when the entry ends with one and has text above it.
    static func splitAttribution(_ lines: [String]) -> (text: [String], attribution: FortuneAttribution)? {
        guard let start = lines.lastIndex(where: { FortuneAttribution.markerLength(of: $0) != nil }), start > 0,
              let markerLength = FortuneAttribution.markerLength(of: lines[start])
        else { return nil }
        let markerIndented = lines[start].first == " " || lines[start].first == "\t"
        var body = String(lines[start].drop { $0 == " " || $0 == "\t" }.dropFirst(markerLength))
        for line in lines[(start + 1)...] {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            // An editor's note ends the attribution; what follows belongs to the note.
            if trimmed.hasPrefix("[") { break }
            // Continuation lines are indented; after an unindented attribution any line is.
            let indented = line.first == " " || line.first == "\t"
            guard indented || !markerIndented, !trimmed.isEmpty else { return nil }
            body += " " + trimmed
        }
        guard let attribution = FortuneAttribution(parsing: body) else { return nil }
        var text = Array(lines[..<start])
        while let last = text.last, isBlank(last) { text.removeLast() }
        return (text, attribution)
    }

    /// The line as a terminal shows it: each backspace erases the character before it, and
    /// other control characters (a bell after a joke's punch line) are dropped; tabs stay.
    static func printable(_ line: Substring) -> String {
        let isControl: (Unicode.Scalar) -> Bool = { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
        guard line.unicodeScalars.contains(where: isControl) else { return String(line) }
        var kept = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            if scalar == "\u{8}" {
                _ = kept.popLast()
            } else if !isControl(scalar) {
                kept.append(scalar)
            }
        }
        return String(kept)
    }

    /// Whether the line is a `%` separator; stray spaces around it are forgiven.
    static func isSeparator(_ line: Substring) -> Bool {
        line.filter { $0 != " " && $0 != "\t" && $0 != "\r" } == "%"
    }

    static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }
}
