import CommandLineKit
import Foundation
import QuoteClient
import QuoteCore

/// "Did you mean Mark Zuckerberg?" for a speaker search that found nothing: speakers whose
/// name words are each within a typo of the query's words.
enum SpeakerSuggestion {
    /// Names suggested at most.
    static let maxSuggestions = 3

    /// The closest speakers to `query` the server knows, best first; empty when none is
    /// close, or the server cannot list speakers (one from before SPEAKERS).
    static func closest(to query: String, using client: ArchiveClient) -> [String] {
        let wanted = words(of: query)
        guard !wanted.isEmpty else { return [] }
        // Candidates: the speakers with a word starting like each query word (typos are
        // rarer in the first two letters than anywhere else).
        var candidates: [String: UInt32] = [:]
        for word in Set(wanted) where word.count >= 2 {
            guard let found = try? client.speakers(String(word.prefix(2)) + "*", limit: Int(Request.maxSearchLimit)) else { return [] }
            for speaker in found.speakers { candidates[speaker.name] = speaker.quotes }
        }
        return rank(wanted, candidates).prefix(maxSuggestions).map(\.self)
    }

    /// The names each of whose query words is within `EditDistance`'s typo bound of one of
    /// its words, fewest edits first, then most quotes.
    static func rank(_ wanted: [String], _ candidates: [String: UInt32]) -> [String] {
        var scored: [(name: String, edits: Int, quotes: UInt32)] = []
        for (name, quotes) in candidates {
            let nameWords = words(of: name)
            var edits = 0
            var close = true
            for word in wanted {
                let best = nameWords.map { EditDistance.between(word, $0) }.min() ?? Int.max
                guard best <= max(1, word.count / 3) else { close = false; break }
                edits += best
            }
            if close { scored.append((name, edits, quotes)) }
        }
        scored.sort { ($0.edits, -Int($0.quotes), $0.name) < ($1.edits, -Int($1.quotes), $1.name) }
        return scored.map(\.name)
    }

    /// Lowercased words without diacritics, split at anything not a letter or digit.
    static func words(of text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// The stderr line, or nil with nothing to suggest.
    static func message(_ names: [String]) -> String? {
        guard let first = names.first else { return nil }
        if names.count == 1 { return "did you mean \(first)?" }
        return "did you mean " + names.dropLast().joined(separator: ", ") + " or \(names.last!)?"
    }
}
