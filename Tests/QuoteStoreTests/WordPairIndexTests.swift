import QuoteCore
@testable import QuoteStore
import Testing

/// The word pair bits a phrase search checks before reading a text: a text that holds the
/// phrase always has the phrase's bits (else a match would be lost), and the bits follow the
/// folded words, so case and accents do not matter while order does.
@Suite struct WordPairIndexTests {
    private func signature(_ text: String) -> UInt64 {
        var pairs = WordPairIndex.Builder()
        var copy = text
        copy.withUTF8 { utf8 in
            TextFolder.shared.forEachHashedWord(in: UnsafeRawBufferPointer(utf8)) { _, hash in pairs.add(hash) }
        }
        return pairs.signature
    }

    private func bits(_ phrases: [String]) -> UInt64 {
        WordPairIndex.required(by: phrases.map { TextFolder.shared.words(of: $0) })
    }

    private func mayHold(_ text: String, _ phrases: String...) -> Bool {
        signature(text) & bits(phrases) == bits(phrases)
    }

    @Test func aTextHoldingThePhraseHasItsBitsWhateverItsCaseAndAccents() {
        #expect(mayHold("Someone BROKE into our Hôme, he said.", "broke into our home"))
        #expect(mayHold("Someone broke into our home", "someone broke", "our home"))
        #expect(mayHold("Straße und Weg", "strasse und"))
        #expect(bits(["home"]) == 0, "one word makes no pair")
        #expect(bits([]) == 0)
    }

    @Test func theBitsFollowTheOrderOfTheWords() {
        #expect(bits(["our home"]) != bits(["home our"]))
        #expect(!mayHold("home, our", "our home"))
    }

    /// Random texts over a few words: never a false negative, and most texts holding both
    /// words but not in a row are told apart without reading them.
    @Test func noTextHoldingAPhraseIsRuledOutAndMostOthersAre() {
        var random = SplitMix64(seed: 31)
        let vocabulary = ["our", "home", "broke", "into", "someone", "the", "lab", "meta", "chen", "mark", "said", "night"]
        var (holding, ruledOut, notHolding) = (0, 0, 0)
        for _ in 0..<2_000 {
            let words = (0..<(4 + Int(random.next() % 16))).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }
            let text = words.joined(separator: " ")
            let inARow = zip(words, words.dropFirst()).contains { $0 == "our" && $1 == "home" }
            if inARow {
                holding += 1
                #expect(mayHold(text, "our home"), "\(text)")
            } else if words.contains("our") && words.contains("home") {
                notHolding += 1
                if !mayHold(text, "our home") { ruledOut += 1 }
            }
        }
        #expect(holding > 50 && notHolding > 200)
        #expect(ruledOut * 2 > notHolding, "\(ruledOut) of \(notHolding) ruled out")
    }
}
