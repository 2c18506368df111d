import Foundation
@testable import QuoteCore
import Testing

/// The byte path must give exactly what the scalar path gives, or step aside.
@Suite struct ByteCanonicalizerTests {
    static let alphabet: [Character] = [
        "a", "B", " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\r\n", "\u{01}",
        "é", "ß", "Ł", "ǅ", "\u{02FF}", "\u{00A0}", "\u{0085}", "\u{0080}", "e\u{0301}", "\u{0300}", "\u{2028}", "語",
    ]

    @Test(arguments: 0..<8)
    func bytePathAgreesWithTheScalarPath(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<24, using: &generator)
            let text = String((0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! })
            if let fast = ByteCanonicalizer.text(text) {
                #expect(fast == Quote.scalarCanonicalText(text), "text \(Array(text.utf8)) seed \(seed)")
            }
            if let fast = ByteCanonicalizer.line(text) {
                #expect(fast == Quote.scalarCanonicalLine(text), "line \(Array(text.utf8)) seed \(seed)")
            }
        }
    }

    @Test func latinTextTakesTheBytePath() {
        #expect(ByteCanonicalizer.text("  Quelqu'un est entré\r\nchez nous ") == "Quelqu'un est entré\nchez nous")
        #expect(ByteCanonicalizer.line(" Łukasz   Żółć ") == "Łukasz Żółć")
    }

    @Test func combiningMarksAndOtherWhitespaceTakeTheScalarPath() {
        #expect(ByteCanonicalizer.text("cafe\u{0301}") == nil)
        #expect(ByteCanonicalizer.line("a\u{00A0}b") == nil)
        #expect(ByteCanonicalizer.line("a\u{0085}b") == nil)
        #expect(ByteCanonicalizer.text("first\u{2028}second") == nil)
        #expect(ByteCanonicalizer.text("語") == nil)
    }

    /// The premise of the byte path: every scalar below U+0300 is already NFC.
    @Test func everyScalarBelowCombiningMarksIsItsOwnNFC() {
        for value in UInt32(0x80)..<0x300 {
            let string = String(Character(Unicode.Scalar(value)!))
            #expect(string.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(string.unicodeScalars),
                    "U+\(String(value, radix: 16))")
        }
    }

    @Test func controlCharactersAreFoundOnBytes() {
        #expect(Quote.hasControlCharacter("a\u{0085}b", allowNewline: true))
        #expect(Quote.hasControlCharacter("a\u{009F}", allowNewline: true))
        #expect(Quote.hasControlCharacter("a\u{7F}", allowNewline: true))
        #expect(Quote.hasControlCharacter("a\nb", allowNewline: false))
        #expect(!Quote.hasControlCharacter("a\nb", allowNewline: true))
        #expect(!Quote.hasControlCharacter("a\u{00A0}é語", allowNewline: false))
    }
}
