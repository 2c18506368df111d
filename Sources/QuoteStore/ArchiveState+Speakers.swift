import QuoteCore

extension ArchiveState {
    /// The shortest prefix a SPEAKERS query may end in (`zu*`), in characters: one letter
    /// would name a good part of any archive's speakers.
    static let minimumSpeakerPrefixCharacters = 2

    /// SPEAKERS: the speakers with a live quote whose names have every word of `query` and,
    /// when it ends in `*`, a word starting with its last word; with their live quote
    /// counts, most quotes first (then by name), at most `limit`; and how many matched.
    ///
    /// Cost: one pass over the speakers (a few keys each) and, for the counts, one over
    /// the entries: a few milliseconds a million quotes.
    func speakers(matching query: String, limit: Int) throws(ArchiveError) -> (matching: Int, speakers: [SpeakerCount]) {
        var text = query.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let isPrefix = text.hasSuffix("*")
        if isPrefix { text.removeLast() }
        guard !text.contains("*") else {
            throw .invalidQuery("'*' may only end the last word, as in 'zucker*'")
        }
        var words = folder.words(of: text)
        var prefix: [UInt8]?
        if isPrefix {
            guard let last = words.popLast(), !text.hasSuffix(" ") else {
                throw .invalidQuery("a '*' needs at least \(Self.minimumSpeakerPrefixCharacters) letters before it, as in 'zu*'")
            }
            guard String(decoding: last, as: UTF8.self).count >= Self.minimumSpeakerPrefixCharacters else {
                throw .invalidQuery("a '*' needs at least \(Self.minimumSpeakerPrefixCharacters) letters before it, as in 'zu*'")
            }
            prefix = last
        }
        let speakerIndex = indexes.speakers
        var required: [UInt32] = []
        for word in words {
            guard let key = speakerIndex.keys.find(word) else { return (0, []) }
            if !required.contains(key) { required.append(key) }
        }
        // The name words a prefix reaches: a scan of the key table, whole names included
        // (they start like their first word, so they add nothing wrong).
        var reached: Set<UInt32>?
        if let prefix {
            var found = Set<UInt32>()
            for id in 0..<UInt32(speakerIndex.keys.count) where speakerIndex.keys.key(id).starts(with: prefix) { found.insert(id) }
            guard !found.isEmpty else { return (0, []) }
            reached = found
        }
        var matched = [Bool](repeating: false, count: speakerIndex.names.count)
        for (speaker, keys) in speakerIndex.keysBySpeaker.enumerated() {
            guard required.allSatisfy(keys.contains) else { continue }
            if let reached, !keys.contains(where: reached.contains) { continue }
            matched[speaker] = true
        }
        var counts = [UInt32](repeating: 0, count: matched.count)
        for entry in entries where entry.isLive && entry.isCurrent && matched[Int(entry.speakerID)] {
            counts[Int(entry.speakerID)] += 1
        }
        var found: [(speaker: Int, quotes: UInt32)] = []
        for (speaker, count) in counts.enumerated() where count > 0 { found.append((speaker, count)) }
        let names = speakerIndex.names
        found.sort {
            if $0.quotes != $1.quotes { return $0.quotes > $1.quotes }
            return names.key(UInt32($0.speaker)).lexicographicallyPrecedes(names.key(UInt32($1.speaker)))
        }
        let shown = found.prefix(limit).map {
            SpeakerCount(name: String(decoding: names.key(UInt32($0.speaker)), as: UTF8.self), quotes: $0.quotes)
        }
        return (found.count, shown)
    }
}
