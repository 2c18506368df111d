/// A quick "can this phrase occur in this text?" for a phrase of ASCII words, read from
/// the stored text's bytes without folding it.
///
/// In a text of ASCII bytes only, the folder's words are exactly the runs of ASCII letters
/// and digits, lowercased (PROTOCOL.md §4, Words); so for such a text this answers exactly,
/// and for any other it answers "maybe" and leaves the question to the full check. A phrase
/// search reads the text of every quote that holds all the phrase's words, most of which
/// do not hold them in order: folding each text and looking its words up cost about 1.5 µs
/// a quote, this a fraction of that.
struct PhrasePrefilter {
    private let words: [[UInt8]]

    /// Nil when a word has a byte other than a lowercase ASCII letter or digit (the phrase
    /// can then only be found by folding).
    init?(_ words: [[UInt8]]) {
        guard !words.isEmpty, words.allSatisfy({ !$0.isEmpty && $0.allSatisfy(PhrasePrefilter.isFoldedWordByte) }) else {
            return nil
        }
        self.words = words
    }

    private static func isFoldedWordByte(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 || byte &- 0x30 < 10 }

    private static func isWordByte(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 || byte &- 0x41 < 26 || byte &- 0x30 < 10 }

    /// False only when `text` is all ASCII and the phrase's words do not follow one another
    /// in it; true when they do, or when the text has other bytes.
    func mayOccur(in text: UnsafeRawBufferPointer) -> Bool {
        let count = text.count
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: count / 2 + 1) { ranges in
            var found = 0
            var index = 0
            while index < count {
                let byte = text[index]
                if byte >= 0x80 { return true }
                guard PhrasePrefilter.isWordByte(byte) else {
                    index += 1
                    continue
                }
                let start = index
                while index < count && PhrasePrefilter.isWordByte(text[index]) { index += 1 }
                ranges[found] = start..<index
                found += 1
            }
            guard found >= words.count else { return false }
            for first in 0...(found - words.count) where matches(ranges[first], words[0], text) {
                var all = true
                for offset in 1..<words.count where !matches(ranges[first + offset], words[offset], text) {
                    all = false
                    break
                }
                if all { return true }
            }
            return false
        }
    }

    /// Whether the text's bytes in `range`, lowercased, are `word`.
    private func matches(_ range: Range<Int>, _ word: [UInt8], _ text: UnsafeRawBufferPointer) -> Bool {
        guard range.count == word.count else { return false }
        var position = range.lowerBound
        for byte in word {
            if text[position] | 0x20 != byte { return false }
            position += 1
        }
        return true
    }
}
