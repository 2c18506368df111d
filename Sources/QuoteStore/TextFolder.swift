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
    /// The folded bytes of every two-byte character, indexed by code point - 0x80; an
    /// empty entry means "a separator".
    private let twoByteTable: [[UInt8]]

    /// The shared folder; building the table takes about a millisecond.
    public static let shared = TextFolder()

    private init() {
        var table: [[UInt8]] = []
        table.reserveCapacity(0x800 - 0x80)
        for codePoint in 0x80..<0x800 {
            guard let scalar = Unicode.Scalar(codePoint) else { table.append([]); continue }
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                let folded = String(Character(scalar))
                    .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
                table.append(Array(folded.utf8))
            } else if properties.generalCategory == .nonspacingMark {
                // Combining accents (decomposed input) vanish, keeping the word whole.
                table.append([0])
            } else {
                table.append([])
            }
        }
        twoByteTable = table
    }

    /// Calls `body` with each folded word of `text`, in order; the buffer is valid only
    /// during the call.
    public func forEachWord(in text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var word: [UInt8] = []
        word.reserveCapacity(64)
        func flush() {
            if !word.isEmpty {
                word.withUnsafeBytes(body)
                word.removeAll(keepingCapacity: true)
            }
        }
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                switch byte {
                case 0x41...0x5A: word.append(byte | 0x20)
                case 0x61...0x7A, 0x30...0x39: word.append(byte)
                default: flush()
                }
                index += 1
            } else if byte & 0xE0 == 0xC0, index + 1 < count {
                let codePoint = Int(byte & 0x1F) << 6 | Int(text[index + 1] & 0x3F)
                let folded = codePoint >= 0x80 ? twoByteTable[codePoint - 0x80] : []
                if folded.isEmpty {
                    flush()
                } else if folded != [0] {
                    word.append(contentsOf: folded)
                }
                index += 2
            } else {
                let length = byte & 0xF0 == 0xE0 ? 3 : (byte & 0xF8 == 0xF0 ? 4 : 1)
                let end = min(count, index + length)
                if length == 3, byte == 0xE2, index + 1 < count, text[index + 1] == 0x80 || text[index + 1] == 0x81 {
                    flush()
                } else {
                    for position in index..<end { word.append(text[position]) }
                }
                index = end
            }
        }
        flush()
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
        for word in words(of: string) {
            if !phrase.isEmpty { phrase.append(0x20) }
            phrase.append(contentsOf: word)
        }
        return phrase
    }
}
