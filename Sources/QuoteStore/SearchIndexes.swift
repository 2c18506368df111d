/// Every search index the archive keeps; `ArchiveState` holds one of these.
struct SearchIndexes {
    /// Speakers: names, their folded keys and each key's quotes in (date, id) order.
    var speakers = SpeakerIndex()
    /// The folded words of the texts, each with its posting list.
    var words = TermIndex(capacity: 1 << 16)
    /// Tags, each with its posting list.
    var tags = TermIndex()
    /// Language codes; each entry holds its language's id.
    var languages = LanguageIndex()
    /// Quotes by (year, month), each bucket in (date, id) order.
    var dates = DateIndex()
    /// Ordinals in id order, for id prefixes.
    var idOrder = IDOrder()
    /// Which word pairs each text may hold, so phrase searches skip most texts.
    var wordPairs = WordPairIndex()

    /// The word and tag lists in result order, as of the last ranking (not saved: built in
    /// the background after open, see `RankedIndex`), and what was indexed since.
    var ranked: RankedIndex?
    var unranked = UnrankedTail()

    /// Whether a new ranking should be built: none yet, or the unranked tail has grown past
    /// a sixteenth of the ranked quotes (and at least `minimumUnranked`). The writer waits
    /// for a pause in the writes unless it `isUrgent`.
    var rankingIsDue: Bool {
        guard unranked.pending == nil, !dates.sortedKeys.isEmpty else { return false }
        guard let ranked else { return true }
        return unranked.count > max(SearchIndexes.minimumUnranked, ranked.count / 16)
    }

    /// Whether a due ranking should start even while writes go on: there is none yet, or
    /// the tail passed half the ranked quotes (searches then read long tails).
    var rankingIsUrgent: Bool {
        guard let ranked else { return true }
        return unranked.count > max(SearchIndexes.minimumUnranked, ranked.count / 2)
    }

    static let minimumUnranked = 1024

    /// Copies what a ranking is built from and notes it as pending under `token`.
    mutating func beginRanking(token: UInt64, ordinalLimit: Int) -> RankingInput {
        unranked.begin(token: token, words: words.postings, tags: tags.postings)
        return RankingInput(dates: dates, words: words.postings, tags: tags.postings, ordinalLimit: ordinalLimit)
    }

    /// Puts a finished ranking in use, unless the indexes were replaced since it began.
    mutating func install(_ ranking: RankedIndex, token: UInt64) {
        if unranked.finish(token: token) { ranked = ranking }
    }

    /// Every index the snapshot saves, by section name: a new index adds its line here.
    static var registered: [IndexRegistration] {
        [
            IndexRegistration("speakers", \.speakers),
            IndexRegistration("words", \.words),
            IndexRegistration("tags", \.tags),
            IndexRegistration("languages", \.languages),
            IndexRegistration("dates", \.dates),
            IndexRegistration("id-order", \.idOrder),
            IndexRegistration("word-pairs", \.wordPairs),
        ]
    }
}
