import Foundation

/// Splits UTF-8 text into folded words: lowercase, without diacritics, so "MAISON",
/// "Maison" and "maïson" index alike.
///
/// Works on bytes. ASCII letters and digits are folded inline; every two-byte UTF-8
/// character (U+0080–U+07FF: Latin-1, Latin Extended, Greek, Cyrillic…) goes through a
/// table built once from Foundation's case and diacritic folding; U+2000–U+206F (general
/// punctuation: typographic quotes, narrow no-break spaces) and ASCII punctuation separate
/// words; other characters are kept as they are.
public struct TextFolder: Sendable {
    /// The folded bytes of every two-byte character (code point - 0x80 indexes
    /// `twoByteStarts`), one flat array so the hot loop loads no nested arrays. An empty
    /// entry means "a separator"; the single byte 0 means "vanishes".
    private let twoByteStarts: [UInt32]
    private let twoByteBytes: [UInt8]
    /// The most output bytes one input byte can become, to size the word buffer.
    private let expansion: Int

    /// The shared folder; building the table takes about a millisecond.
    public static let shared = TextFolder()

    private init() {
        var starts: [UInt32] = [0]
        var bytes: [UInt8] = []
        var longest = 2
        for codePoint in 0x80..<0x800 {
            var folded: [UInt8] = []
            if let scalar = Unicode.Scalar(codePoint) {
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil {
                    folded = Array(String(Character(scalar))
                        .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).utf8)
                } else if properties.generalCategory == .nonspacingMark {
                    // Combining accents (decomposed input) vanish, keeping the word whole.
                    folded = [0]
                }
            }
            longest = max(longest, folded.count)
            bytes.append(contentsOf: folded)
            starts.append(UInt32(bytes.count))
        }
        twoByteStarts = starts
        twoByteBytes = bytes
        expansion = (longest + 1) / 2
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
        twoByteStarts.withUnsafeBufferPointer { starts in
            twoByteBytes.withUnsafeBufferPointer { table in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count * expansion + 16) { scratch in
                    let word = scratch.baseAddress!
                    var length = 0
                    @inline(__always) func flush() {
                        if length > 0 {
                            body(UnsafeRawPointer(word), length)
                            length = 0
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
                            let start = codePoint >= 0x80 ? Int(starts[codePoint - 0x80]) : 0
                            let end = codePoint >= 0x80 ? Int(starts[codePoint - 0x80 + 1]) : 0
                            if start == end {
                                flush()
                            } else if end - start != 1 || table[start] != 0 {
                                for position in start..<end {
                                    word[length] = table[position]
                                    length += 1
                                }
                            }
                            index += 2
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

    /// The folded words of a string, for queries.
    public func words(of string: String) -> [[UInt8]] {
        var words: [[UInt8]] = []
        var copy = string
        copy.withUTF8 { utf8 in
            forEachWord(in: UnsafeRawBufferPointer(utf8)) { words.append(Array($0)) }
        }
        return words
    }

    /// The folded words joined by single spaces: the key of a whole speaker name.
    public func foldedPhrase(_ string: String) -> [UInt8] {
        var phrase: [UInt8] = []
        var copy = string
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
