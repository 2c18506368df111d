import QuoteCore

/// SearchFilter's `words` as a query (PROTOCOL.md §4, Text queries): words that must all
/// appear, `"phrases"` whose words must appear consecutively, `prefix*` words, and
/// `-words` that must not appear; each folded as the text's words are.
struct TextQuery: Equatable {
    /// Words that must appear (a phrase's words are here too: the posting lists narrow
    /// the candidates, and the phrase check confirms the order).
    var words: [[UInt8]] = []
    /// Runs of two or more words that must appear in this order, consecutively.
    var phrases: [[[UInt8]]] = []
    /// Word beginnings, each of which some word of the text must start with.
    var prefixes: [[UInt8]] = []
    /// Words, or runs of words, that must not appear.
    var excluded: [[[UInt8]]] = []

    /// The shortest prefix before a `*`, in characters.
    static let minimumPrefixCharacters = 2
    /// The most distinct words of the archive one prefix may stand for; past it the query
    /// is refused rather than answered slowly or cut.
    static let maximumPrefixExpansion = 1_000

    var isEmpty: Bool { words.isEmpty && prefixes.isEmpty && excluded.isEmpty }

    /// Parses `text`; a malformed query throws `invalidQuery` naming the problem.
    init(_ text: String, folder: TextFolder) throws(ArchiveError) {
        var tokens: [(text: String, quoted: Bool, negated: Bool)] = []
        var current = ""
        var negated = false
        var inPhrase = false
        func flush(quoted: Bool) {
            if !current.isEmpty || quoted { tokens.append((current, quoted, negated)) }
            current = ""
            negated = false
        }
        for character in text {
            if inPhrase {
                if character == "\"" {
                    inPhrase = false
                    flush(quoted: true)
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                guard current.isEmpty else {
                    throw .invalidQuery("a phrase starts in the middle of '\(current)': put a space before its '\"'")
                }
                inPhrase = true
            } else if character.isWhitespace {
                flush(quoted: false)
            } else if character == "-" && current.isEmpty && !negated {
                negated = true
            } else {
                current.append(character)
            }
        }
        guard !inPhrase else { throw .invalidQuery("unbalanced '\"': the phrase '\(current)' is not closed") }
        flush(quoted: false)

        for token in tokens {
            if token.quoted {
                guard !token.text.contains("*") else {
                    throw .invalidQuery("'*' cannot be used inside a phrase (\"\(token.text)\")")
                }
                let folded = folder.words(of: token.text)
                guard !folded.isEmpty else { throw .invalidQuery("the phrase \"\(token.text)\" has no words") }
                add(folded, negated: token.negated, asPhrase: true)
                continue
            }
            guard let star = token.text.firstIndex(of: "*") else {
                let folded = folder.words(of: token.text)
                if !folded.isEmpty { add(folded, negated: token.negated, asPhrase: false) }
                continue
            }
            guard star == token.text.index(before: token.text.endIndex) else {
                throw .invalidQuery("'*' may only end a word, as in 'superintell*' (not '\(token.text)')")
            }
            guard !token.negated else { throw .invalidQuery("a prefix cannot be excluded ('-\(token.text)')") }
            var folded = folder.words(of: String(token.text.dropLast()))
            guard let prefix = folded.popLast(), !token.text.dropLast().hasSuffix("-"),
                  String(decoding: prefix, as: UTF8.self).count >= TextQuery.minimumPrefixCharacters else {
                throw .invalidQuery("a '*' needs at least \(TextQuery.minimumPrefixCharacters) letters before it, as in 'superintell*'")
            }
            if !folded.isEmpty { add(folded, negated: false, asPhrase: false) }
            if !prefixes.contains(prefix) { prefixes.append(prefix) }
        }
    }

    /// Adds the words of one token or phrase: required (a quoted run of two or more also
    /// as a phrase), or excluded (a run of words excluded as a run). An unquoted token
    /// that folds to several words (`quelqu'un`) requires each, in any order, as before.
    private mutating func add(_ folded: [[UInt8]], negated: Bool, asPhrase: Bool) {
        if negated {
            if asPhrase { excluded.append(folded) } else { excluded += folded.map { [$0] } }
            return
        }
        for word in folded where !words.contains(word) { words.append(word) }
        if asPhrase && folded.count > 1 { phrases.append(folded) }
    }
}
