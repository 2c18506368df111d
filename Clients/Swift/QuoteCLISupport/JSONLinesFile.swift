import Dispatch
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
    ///
    /// Lines are found in the UTF-8 bytes (a line feed ends one, and a carriage return just
    /// before it goes with it): splitting the String by Characters, which must find every
    /// grapheme boundary, took more than half of an import's parsing. The lines are then
    /// parsed in chunks on every core and joined in file order.
    public init(parsing text: String) {
        var lines: [Line] = []
        var text = text
        text.withUTF8 { bytes in
            var lineNumber = 0
            var start = 0
            // The piece after the last line feed is a line too (usually empty, so skipped).
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                var (first, last) = (start, end)
                if last > first && bytes[last - 1] == 0x0D { last -= 1 }
                if lineNumber == 1 && last - first >= 3 && bytes[first] == 0xEF && bytes[first + 1] == 0xBB && bytes[first + 2] == 0xBF {
                    first += 3
                }
                start = end + 1
                if bytes[first..<last].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                lines.append(Line(number: lineNumber, bytes: first..<last))
            }
        }
        let chunks = JSONLinesFile.Chunks(count: lines.isEmpty ? 0 : min(16, (lines.count + 999) / 1000))
        let (shared, all) = (text, lines)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { chunk in
            var parsed = Parsed()
            let range = (all.count * chunk / chunks.count)..<(all.count * (chunk + 1) / chunks.count)
            var copy = shared
            copy.withUTF8 { bytes in
                for line in all[range] {
                    do throws(QuoteJSONError) {
                        let json = String(decoding: UnsafeBufferPointer(rebasing: bytes[line.bytes]), as: UTF8.self)
                        parsed.entries.append(Entry(line: line.number, quote: try Quote.parseJSONLine(json)))
                    } catch {
                        parsed.failures.append(Failure(line: line.number, error: error))
                    }
                }
            }
            chunks.store(parsed, at: chunk)
        }
        for parsed in chunks.results {
            entries += parsed.entries
            failures += parsed.failures
        }
    }

    /// A non-blank line: its number and where its bytes are.
    private struct Line: Sendable {
        var number: Int
        var bytes: Range<Int>
    }

    private struct Parsed: Sendable {
        var entries: [Entry] = []
        var failures: [Failure] = []
    }

    /// Each chunk's result, written once by the thread that parsed it.
    private final class Chunks: @unchecked Sendable {
        // @unchecked: slot `i` is written only by iteration `i` of concurrentPerform, and
        // read only after it returns. Raw memory: an Array's mutating accessors are not
        // safe from two threads at once even on distinct elements.
        let count: Int
        private let slots: UnsafeMutableBufferPointer<Parsed>

        init(count: Int) {
            self.count = count
            slots = .allocate(capacity: count)
            slots.initialize(repeating: Parsed())
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        func store(_ parsed: Parsed, at index: Int) {
            slots[index] = parsed
        }

        var results: [Parsed] { Array(slots) }
    }
}
