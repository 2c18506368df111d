import QuoteCore

/// Makes synthetic quotes that look enough like real ones to exercise the indexes: Zipf-
/// distributed words from a vocabulary of 4,000 pseudo-words (some accented), 5,000
/// "First Last" speakers, dates across 30 years (some partial, some missing), 0–3 tags,
/// French or English, about 250 bytes encoded.
struct QuoteGenerator {
    static let vocabularySize = 4_000
    static let speakerCount = 5_000
    static let firstYear = 1996
    static let years = 30

    private(set) var vocabulary: [String] = []
    private(set) var speakers: [String] = []
    private let tags: [String]
    private let sources: [String]
    /// Cumulative Zipf weights (s = 1) over the vocabulary, for sampling by binary search.
    private let cumulativeWeights: [Double]
    private var generator: SplitMix64

    init(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        var seen = Set<String>()
        var words: [String] = []
        while words.count < QuoteGenerator.vocabularySize {
            let word = QuoteGenerator.pseudoWord(syllables: Int.random(in: 1...4, using: &generator), using: &generator)
            if seen.insert(word).inserted { words.append(word) }
        }
        vocabulary = words

        var names: [String] = []
        while names.count < 180 {
            let name = QuoteGenerator.pseudoWord(syllables: Int.random(in: 2...3, using: &generator), using: &generator)
            if seen.insert(name).inserted { names.append(name.prefix(1).uppercased() + name.dropFirst()) }
        }
        let firsts = names[0..<80]
        let lasts = names[80...]
        var pairs = firsts.flatMap { first in lasts.map { first + " " + $0 } }
        pairs.shuffle(using: &generator)
        speakers = Array(pairs.prefix(QuoteGenerator.speakerCount))

        tags = (0..<60).map { _ in "tag-" + QuoteGenerator.pseudoWord(syllables: 2, using: &generator) }
        sources = (0..<200).map { _ in "The " + QuoteGenerator.pseudoWord(syllables: 3, using: &generator) + " Gazette" }

        var total = 0.0
        cumulativeWeights = (1...QuoteGenerator.vocabularySize).map { rank in
            total += 1.0 / Double(rank)
            return total
        }
        self.generator = generator
    }

    /// A word drawn with Zipf frequencies, as it would appear in a text.
    mutating func randomWord() -> String {
        let target = Double.random(in: 0..<cumulativeWeights[cumulativeWeights.count - 1], using: &generator)
        var low = 0
        var high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > target { high = middle } else { low = middle + 1 }
        }
        return vocabulary[low]
    }

    mutating func randomSpeaker() -> String { speakers.randomElement(using: &generator)! }

    /// A random calendar month within the generated years.
    mutating func randomMonth() -> QuoteDate {
        try! QuoteDate(year: QuoteGenerator.firstYear + Int.random(in: 0..<QuoteGenerator.years, using: &generator),
                       month: Int.random(in: 1...12, using: &generator))
    }

    mutating func nextQuote() -> Quote {
        let targetBytes = Int.random(in: 140...240, using: &generator)
        var text = ""
        text.reserveCapacity(targetBytes + 16)
        while text.utf8.count < targetBytes {
            let word = randomWord()
            if text.isEmpty {
                text += word.prefix(1).uppercased() + word.dropFirst()
            } else {
                text += Int.random(in: 0..<12, using: &generator) == 0 ? ", " + word : " " + word
            }
        }
        text += "."

        let year = QuoteGenerator.firstYear + Int.random(in: 0..<QuoteGenerator.years, using: &generator)
        let month = Int.random(in: 1...12, using: &generator)
        let day = Int.random(in: 1...28, using: &generator)
        let date: QuoteDate? = switch Int.random(in: 0..<100, using: &generator) {
        case 0..<70: try! QuoteDate(year: year, month: month, day: day)
        case 70..<80: try! QuoteDate(year: year, month: month)
        case 80..<85: try! QuoteDate(year: year)
        default: nil
        }
        let tagCount = Int.random(in: 0...3, using: &generator)
        let quoteTags = (0..<tagCount).map { _ in tags.randomElement(using: &generator)! }
        let source = Int.random(in: 0..<10, using: &generator) < 3 ? sources.randomElement(using: &generator)! : nil
        return Quote(text: text, speaker: randomSpeaker(), date: date, source: source,
                     lang: Bool.random(using: &generator) ? "fr" : "en", tags: quoteTags)
    }

    mutating func nextQuotes(_ count: Int) -> [Quote] {
        (0..<count).map { _ in nextQuote() }
    }

    private static let onsets = ["b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "gr", "pl", "tr", ""]
    private static let vowels = ["a", "e", "i", "o", "u", "ou", "ai", "é", "è", "an", "on", "y"]

    private static func pseudoWord(syllables: Int, using generator: inout SplitMix64) -> String {
        var word = ""
        for _ in 0..<syllables {
            word += onsets.randomElement(using: &generator)! + vowels.randomElement(using: &generator)!
        }
        return word
    }
}
