import QuoteCore

// BSD fortune files, as Debian's `fortunes` package ships them in /usr/share/games/fortunes:
// plain text, entries separated by lines holding only `%`, no header. Most quotes end with
// an attribution line, typically indented with tabs:
//
//       Ask not what your country can do for you.
//                       -- John F. Kennedy, Inaugural Address, 1961
//   %
//
// The rules, in order:
//
// - An attribution line starts, after any indentation, with `--`, `---` or a dash (`—`,
//   `―`) and then the attribution; a line of dashes alone, `-->` and a bare `--` are not.
// - It may run over indented continuation lines, and may be followed by an editor's note in
//   brackets (`[Great minds think alike?  Ed.]`), which is dropped, or by one or two
//   unindented note lines (`als Antwort auf die Frage, …` in de/zitate), which are kept in
//   the source. More text after it, or indented text after a note, means the dash line was
//   part of the text: the entry has no attribution.
// - An entry may hold several attributed quotes, one after another: an indented
//   attribution followed by unindented text that itself ends in an attribution closes a
//   quote, and each becomes a quote of its own (sharing the entry's number).
// - Entries without an attribution (jokes, riddles, ASCII art) have no speaker, so they
//   cannot be quotes: they are skipped and counted.
//
// What an attribution holds (speaker, source, date) is FortuneAttribution's part. Old files underline with backspaces (`_\bI`, `____\b\b\b\bBODY`) and
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
        let segments = FortuneFile.attributedSegments(lines)
        guard !segments.isEmpty else {
            unattributedCount += 1
            return
        }
        for (offset, textLines, attribution) in segments {
            let quote = Quote(
                text: textLines.joined(separator: "\n"), speaker: attribution.speaker, date: attribution.date,
                source: attribution.source)
            entries.append(Entry(number: entryCount, line: startLine + leadingBlanks + offset, quote: quote))
        }
    }

    /// The entry's attributed quotes, each with the offset of its first line: one, or
    /// several when indented attributions separate quotes (the file's rules above); none
    /// when the entry has no attribution.
    static func attributedSegments(_ lines: [String]) -> [(offset: Int, text: [String], attribution: FortuneAttribution)] {
        var segments: [(offset: Int, text: [String], attribution: FortuneAttribution)] = []
        var start = 0
        var index = 0
        while index < lines.count {
            guard index > start, isIndented(lines[index]), FortuneAttribution.markerLength(of: lines[index]) != nil else {
                index += 1
                continue
            }
            var end = index + 1
            while end < lines.count, isIndented(lines[end]), !isBlank(lines[end]),
                  FortuneAttribution.markerLength(of: lines[end]) == nil {
                end += 1
            }
            var next = end
            while next < lines.count, isBlank(lines[next]) { next += 1 }
            let laterAttribution = lines[min(next, lines.count)...].contains {
                isIndented($0) && FortuneAttribution.markerLength(of: $0) != nil
            }
            // Unindented text that ends in an attribution of its own: another quote.
            if next < lines.count, !isIndented(lines[next]), laterAttribution,
               let one = splitAttribution(Array(lines[start..<end])) {
                segments.append((start, one.text, one.attribution))
                start = next
                index = next
                continue
            }
            index += 1
        }
        if let last = splitAttribution(Array(lines[start...])) { segments.append((start, last.text, last.attribution)) }
        return segments
    }

    static func isIndented(_ line: String) -> Bool { line.first == " " || line.first == "\t" }

    /// The text lines and the attribution, when the entry ends with one and has text above it.
    static func splitAttribution(_ lines: [String]) -> (text: [String], attribution: FortuneAttribution)? {
        guard let start = lines.lastIndex(where: { FortuneAttribution.markerLength(of: $0) != nil }), start > 0,
              let markerLength = FortuneAttribution.markerLength(of: lines[start])
        else { return nil }
        let markerIndented = isIndented(lines[start])
        var body = String(lines[start].drop { $0 == " " || $0 == "\t" }.dropFirst(markerLength))
        var note: [Substring] = []
        for line in lines[(start + 1)...] {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if !note.isEmpty {
                // A note is one or two plain lines; text that goes on, or is indented again,
                // means the dash line was part of the text, not its attribution.
                if trimmed.isEmpty { continue }
                guard !isIndented(line), note.count < 2 else { return nil }
                note.append(trimmed)
                continue
            }
            // An editor's note ends the attribution; what follows belongs to the note.
            if trimmed.hasPrefix("[") { break }
            if trimmed.isEmpty { continue }
            // Continuation lines are indented; after an unindented attribution any line is.
            // After an indented one, an unindented line starts a note on the quote.
            if markerIndented && !isIndented(line) {
                note.append(trimmed)
                continue
            }
            body += " " + trimmed
        }
        guard var attribution = FortuneAttribution(parsing: body) else { return nil }
        if !note.isEmpty {
            let noteText = note.joined(separator: " ")
            attribution.source = attribution.source.map { $0 + "; " + noteText } ?? noteText
        }
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
