import Glibc

/// The part of a text query the posting lists cannot answer, checked against one quote's
/// text in a single pass over its folded words, comparing bytes: its phrases (words in a
/// row), prefixes, exclusions and, when the lists did not already imply them, its words.
///
/// Looking each folded word up in the word table to compare ids, and collecting them in an
/// array first, cost about as much as the folding; phrases and exclusions are matched by
/// shift-and instead (one bit per word of the run: bit k set when the run's first k + 1
/// words end at the current one), which never backtracks and has no false negatives.
struct TextCheck {
    private let words: [[UInt8]]
    private let phrases: [[[UInt8]]]
    private var prefixes: [[UInt8]]
    private let excluded: [[[UInt8]]]

    /// Runs are matched in one 64-bit state each; a query with a longer run (only a
    /// contrived one) is checked the slow way, through word ids.
    static let maximumRun = 64

    /// Nil when a run is longer than `maximumRun` words.
    init?(words: [[UInt8]], phrases: [[[UInt8]]], prefixes: [[UInt8]], excluded: [[[UInt8]]]) {
        guard (phrases + excluded).allSatisfy({ $0.count <= TextCheck.maximumRun }) else { return nil }
        self.words = words
        self.phrases = phrases
        self.prefixes = prefixes
        self.excluded = excluded
    }

    /// Keeps only the prefixes whose flag is true (in the query's order): the others are
    /// implied by the lists a search intersected.
    mutating func keepPrefixes(_ keep: [Bool]) {
        prefixes = zip(prefixes, keep).filter(\.1).map(\.0)
    }

    /// Whether `text` passes; `checkWords` false when the posting lists already showed
    /// every required word is there.
    func accepts(_ text: UnsafeRawBufferPointer, folder: TextFolder, checkWords: Bool) -> Bool {
        let required = checkWords ? words : []
        let counts = (required.count, phrases.count, prefixes.count, excluded.count)
        let states = counts.1 + counts.3
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: states + 1) { state in
            // Found flags: the required words, then the prefixes, then the phrases.
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: counts.0 + counts.2 + counts.1 + 1) { found in
                for index in 0..<states { state[index] = 0 }
                for index in 0..<(counts.0 + counts.2 + counts.1) { found[index] = false }
                let phraseFlags = counts.0 + counts.2
                var excludedFound = false
                folder.forEachPaddedWord(in: text) { start, length in
                    guard !excludedFound else { return }
                    let word = UnsafeRawBufferPointer(start: start, count: length)
                    for (index, wanted) in required.enumerated() where !found[index] && TextCheck.equal(word, wanted) {
                        found[index] = true
                    }
                    for (index, prefix) in prefixes.enumerated() where !found[counts.0 + index] && length >= prefix.count
                        && TextCheck.equal(UnsafeRawBufferPointer(rebasing: word[..<prefix.count]), prefix) {
                        found[counts.0 + index] = true
                    }
                    for (index, run) in phrases.enumerated() where TextCheck.step(&state[index], run, word) {
                        found[phraseFlags + index] = true
                    }
                    for (index, run) in excluded.enumerated() where TextCheck.step(&state[counts.1 + index], run, word) {
                        excludedFound = true
                    }
                }
                if excludedFound { return false }
                for index in 0..<(counts.0 + counts.2 + counts.1) where !found[index] { return false }
                return true
            }
        }
    }

    /// Advances a run's shift-and state by one word; true when the whole run just ended.
    private static func step(_ state: inout UInt64, _ run: [[UInt8]], _ word: UnsafeRawBufferPointer) -> Bool {
        var matching: UInt64 = 0
        for (index, wanted) in run.enumerated() where equal(word, wanted) { matching |= 1 << UInt64(index) }
        state = (state << 1 | 1) & matching
        return state & (1 << UInt64(run.count - 1)) != 0
    }

    private static func equal(_ word: UnsafeRawBufferPointer, _ wanted: [UInt8]) -> Bool {
        word.count == wanted.count
            && wanted.withUnsafeBytes { word.count == 0 || memcmp($0.baseAddress!, word.baseAddress!, word.count) == 0 }
    }
}
