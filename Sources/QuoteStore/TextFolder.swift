import Foundation

/// Splits UTF-8 text into folded words: lowercase, without diacritics, so "MAISON",
/// "Maison" and "maïson" index alike (PROTOCOL.md §4, Words; the table is
/// `Protocol/vectors/folding-table.json`, which a test checks this one against).
///
/// Works on bytes. ASCII letters and digits are folded inline; every character of
/// U+0080–U+07FF (Latin-1, Latin Extended, Greek, Cyrillic, Hebrew, Arabic…) and of
/// U+1E00–U+1FFF (Latin Extended Additional: Vietnamese and transliterations; Greek
/// Extended: polytonic Greek) goes through a table built once from Foundation's case and
/// diacritic folding, then `extraFolds`; U+2000–U+207F (general punctuation: typographic
/// quotes, narrow no-break spaces) and ASCII punctuation separate words; every other
/// character is kept as it is.
public struct TextFolder: Sendable {
    /// One folding table: for each code point from `first`, its folded bytes (`starts`
    /// indexes `bytes`, one flat array so the hot loop loads no nested arrays). An empty
    /// entry means "a separator"; the single byte 0 means "vanishes".
    struct Table: Sendable {
        let first: Int
        let starts: [UInt32]
        let bytes: [UInt8]
    }

    /// U+0080–U+07FF, the two-byte UTF-8 characters.
    private let twoByte: Table
    /// U+1E00–U+1FFF, three-byte characters that start E1 B8…E1 BF.
    private let extended: Table
    /// The most output bytes one input byte can become, to size the word buffer.
    private let expansion: Int

    /// The ranges the tables cover, as PROTOCOL.md §4 and the table file name them.
    public static let tableRanges: [ClosedRange<Int>] = [0x80...0x7FF, 0x1E00...0x1FFF]

    /// Letters that case and diacritic folding leave as they are but a reader treats as a
    /// plain letter: the Nordic, Polish, Croatian, Icelandic, Maltese and Turkish ones, the
    /// ligatures, and the superscript digits. Applied to the folded form, character by
    /// character.
    static let extraFolds: [Character: String] = [
        "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
        "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ſ": "s", "ĳ": "ij", "¹": "1", "²": "2", "³": "3",
    ]

    /// The shared folder; building the tables takes a few milliseconds.
    public static let shared = TextFolder()

    private init() {
        let tables = TextFolder.tableRanges.map(TextFolder.table)
        twoByte = tables[0]
        extended = tables[1]
        var expansion = 1
        for (table, inputBytes) in zip(tables, [2, 3]) {
            for index in 0..<(table.starts.count - 1) {
                let output = Int(table.starts[index + 1] - table.starts[index])
                expansion = max(expansion, (output + inputBytes - 1) / inputBytes)
            }
        }
        self.expansion = expansion
    }

    /// The folded form of one code point of a table range: nil for a separator, empty for
    /// one that vanishes (a combining mark: decomposed accents, Hebrew points, Arabic vowel
    /// marks, so a word matches with or without them), else its folded UTF-8.
    public static func fold(_ codePoint: Int) -> [UInt8]? {
        guard let scalar = Unicode.Scalar(codePoint) else { return nil }
        let properties = scalar.properties
        // Combining marks first: Hebrew points and Arabic vowel marks count as alphabetic,
        // and folding one alone leaves it as it is.
        if properties.generalCategory == .nonspacingMark { return [] }
        if properties.isAlphabetic || properties.numericType != nil {
            let folded = String(Character(scalar))
                .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            return Array(folded.map { extraFolds[$0] ?? String($0) }.joined().utf8)
        }
        return nil
    }

    private static func table(_ range: ClosedRange<Int>) -> Table {
        var starts: [UInt32] = [0]
        var bytes: [UInt8] = []
        for codePoint in range {
            switch fold(codePoint) {
            case nil: break
            case let folded? where folded.isEmpty: bytes.append(0)
            case let folded?: bytes.append(contentsOf: folded)
            }
            starts.append(UInt32(bytes.count))
        }
        return Table(first: range.lowerBound, starts: starts, bytes: bytes)
    }

    /// Calls `body` with each folded word of `text`, in order; the buffer is valid only
    /// during the call.
    public func forEachWord(in text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        forEachHashedWord(in: text) { word, _ in body(word) }
    }

    /// Calls `body` with each folded word of `text` and its `ByteKeyTable.hash`, in order;
    /// the buffer is valid only during the call.
    func forEachHashedWord(in text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
        forEachPaddedWord(in: text) { start, length in
            let folded = UnsafeRawBufferPointer(start: start, count: length)
            body(folded, ByteKeyTable.hash(folded))
        }
    }

    /// Calls `body` with the start and length of each folded word of `text`, in order. At
    /// least 16 bytes from the start are readable whatever the length, so a caller may load
    /// a short word as two whole words and mask them; bytes past the length are garbage.
    func forEachPaddedWord(in text: UnsafeRawBufferPointer, _ body: (UnsafeRawPointer, Int) -> Void) {
        let count = text.count
        guard count > 0, let input = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        twoByte.starts.withUnsafeBufferPointer { starts in
            twoByte.bytes.withUnsafeBufferPointer { table in
                extended.starts.withUnsafeBufferPointer { extendedStarts in
                    extended.bytes.withUnsafeBufferPointer { extendedTable in
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count * expansion + 16) { scratch in
                            let word = scratch.baseAddress!
                            var length = 0
                            @inline(__always) func flush() {
                                if length > 0 {
                                    body(UnsafeRawPointer(word), length)
                                    length = 0
                                }
                            }
                            /// Appends a table entry: nothing for a separator (which ends the
                            /// word), nothing for a vanishing mark, else its bytes.
                            @inline(__always) func emit(_ starts: UnsafeBufferPointer<UInt32>,
                                                        _ table: UnsafeBufferPointer<UInt8>, _ index: Int) {
                                let start = Int(starts[index])
                                let end = Int(starts[index + 1])
                                if start == end {
                                    flush()
                                } else if end - start != 1 || table[start] != 0 {
                                    for position in start..<end {
                                        word[length] = table[position]
                                        length += 1
                                    }
                                }
                            }
                            var index = 0
                            while index < count {
                                let byte = input[index]
                                if byte < 0x80 {
                                    if byte &- 0x41 < 26 {
                                        word[length] = byte | 0x20
                                        length += 1
                                    } else if byte &- 0x61 < 26 || byte &- 0x30 < 10 {
                                        word[length] = byte
                                        length += 1
                                    } else {
                                        flush()
                                    }
                                    index += 1
                                } else if byte & 0xE0 == 0xC0, index + 1 < count {
                                    let codePoint = Int(byte & 0x1F) << 6 | Int(input[index + 1] & 0x3F)
                                    if codePoint >= 0x80 { emit(starts, table, codePoint - 0x80) } else { flush() }
                                    index += 2
                                } else if byte == 0xE1, index + 2 < count, input[index + 1] >= 0xB8, input[index + 1] <= 0xBF {
                                    let codePoint = 0x1000 | Int(input[index + 1] & 0x3F) << 6 | Int(input[index + 2] & 0x3F)
                                    emit(extendedStarts, extendedTable, codePoint - 0x1E00)
                                    index += 3
                                } else {
                                    let size = byte & 0xF0 == 0xE0 ? 3 : (byte & 0xF8 == 0xF0 ? 4 : 1)
                                    let end = min(count, index + size)
                                    if size == 3, byte == 0xE2, index + 1 < count, input[index + 1] == 0x80 || input[index + 1] == 0x81 {
                                        flush()
                                    } else {
                                        for position in index..<end {
                                            word[length] = input[position]
                                            length += 1
                                        }
                                    }
                                    index = end
                                }
                            }
                            flush()
                        }
                    }
                }
            }
        }
    }

    /// The folded words of a string, for queries: normalized to NFC first, as stored text
    /// is, so a query typed decomposed (a Hangul syllable as jamo, `e` + U+0301) finds it.
    public func words(of string: String) -> [[UInt8]] {
        var words: [[UInt8]] = []
        var copy = TextFolder.nfc(string)
        copy.withUTF8 { utf8 in
            forEachWord(in: UnsafeRawBufferPointer(utf8)) { words.append(Array($0)) }
        }
        return words
    }

    /// `string` in NFC; ASCII, most queries, is NFC already and is not copied.
    static func nfc(_ string: String) -> String {
        var ascii = true
        for byte in string.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        return ascii ? string : string.precomposedStringWithCanonicalMapping
    }

    /// The folded words joined by single spaces: the key of a whole speaker name.
    public func foldedPhrase(_ string: String) -> [UInt8] {
        var phrase: [UInt8] = []
        var copy = TextFolder.nfc(string)
        copy.withUTF8 { utf8 in
            phrase.reserveCapacity(utf8.count)
            forEachWord(in: UnsafeRawBufferPointer(utf8)) { word in
                if !phrase.isEmpty { phrase.append(0x20) }
                phrase.append(contentsOf: word)
            }
        }
        return phrase
    }
}
