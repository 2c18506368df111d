@testable import QuoteCore
import Testing

/// The byte-level ASCII path must give exactly what the scalar path gives.
@Suite struct ASCIICanonicalizerTests {
    static let alphabet: [Character] = ["a", "B", " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\r\n", "\u{01}"]

    @Test(arguments: 0..<8)
    func asciiPathAgreesWithTheScalarPath(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<24, using: &generator)
            let text = String((0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! })
            #expect(ASCIICanonicalizer.text(text) == Quote.scalarCanonicalText(text), "text \(Array(text.utf8)) seed \(seed)")
            #expect(ASCIICanonicalizer.line(text) == Quote.scalarCanonicalLine(text), "line \(Array(text.utf8)) seed \(seed)")
        }
    }

    @Test func nonASCIIInputTakesTheScalarPath() {
        #expect(ASCIICanonicalizer.text("café") == nil)
        #expect(ASCIICanonicalizer.line("naïve") == nil)
    }
}
