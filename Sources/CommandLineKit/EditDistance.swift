/// Edit distance between strings, for the "Did you mean" suggestions of usage errors.
public enum EditDistance {
    /// The Damerau-Levenshtein distance (optimal string alignment): how many insertions,
    /// deletions, substitutions and swaps of adjacent characters turn `source` into `target`.
    public static func between(_ source: String, _ target: String) -> Int {
        let source = Array(source)
        let target = Array(target)
        if source.isEmpty { return target.count }
        if target.isEmpty { return source.count }
        // Three rows suffice: a swap looks two rows back.
        var beforePrevious = [Int](repeating: 0, count: target.count + 1)
        var previous = Array(0...target.count)
        var current = [Int](repeating: 0, count: target.count + 1)
        for row in 1...source.count {
            current[0] = row
            for column in 1...target.count {
                let substitution = source[row - 1] == target[column - 1] ? 0 : 1
                var best = min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + substitution)
                if row > 1, column > 1, source[row - 1] == target[column - 2], source[row - 2] == target[column - 1] {
                    best = min(best, beforePrevious[column - 2] + 1)
                }
                current[column] = best
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[target.count]
    }

    /// The candidate nearest to `word` when it is close enough to be a plausible typo: at most
    /// one edit per three characters (at least one), and fewer edits than `word` has characters.
    /// Ties go to the earlier candidate.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = between(word, candidate)
            let limit = max(1, min(word.count, candidate.count) / 3)
            guard distance <= limit, distance < word.count else { continue }
            if best.map({ distance < $0.distance }) ?? true { best = (candidate, distance) }
        }
        return best?.candidate
    }
}
