/// The quotes indexed since the current `RankedIndex` was copied for its build: searches
/// take their matches from here as well, and the next ranking covers them.
///
/// Nothing is stored per word: the copy noted where each word's and tag's posting list
/// ended (`PostingList.Mark`), and what the lists hold past those marks is what was
/// indexed since. Keeping lists of their own per term cost a cache miss per word of every
/// quote added, a tenth of an import's server time. Recording starts with the first
/// ranking; before it every search uses the ordinal lists.
struct UnrankedTail {
    private(set) var isRecording = false
    /// Ordinals in the order they were indexed.
    private(set) var ordinals: [UInt32] = []
    /// Where each word's and tag's list ended at the ranking's copy, by term id; a term
    /// interned since has none, and all of its list is unranked.
    private var wordMarks: [PostingList.Mark] = []
    private var tagMarks: [PostingList.Mark] = []
    /// The ranking being built, if any: its token, how many of `ordinals` it covers, and
    /// the marks its copy took.
    private(set) var pending: (token: UInt64, covers: Int, words: [PostingList.Mark], tags: [PostingList.Mark])?

    /// How many quotes a search finds only here.
    var count: Int { ordinals.count }

    mutating func record(_ ordinal: UInt32) {
        if isRecording { ordinals.append(ordinal) }
    }

    /// The unranked ordinals in `list`, the posting list of word `id`, ascending.
    func words(_ id: UInt32, in list: PostingList) -> [UInt32] { unranked(in: list, mark: mark(id, wordMarks)) }

    /// The unranked ordinals in `list`, the posting list of tag `id`, ascending.
    func tags(_ id: UInt32, in list: PostingList) -> [UInt32] { unranked(in: list, mark: mark(id, tagMarks)) }

    private func mark(_ id: UInt32, _ marks: [PostingList.Mark]) -> PostingList.Mark? {
        Int(id) < marks.count ? marks[Int(id)] : nil
    }

    private func unranked(in list: PostingList, mark: PostingList.Mark?) -> [UInt32] {
        guard isRecording, !ordinals.isEmpty else { return [] }
        guard let mark else { return list.ordinals }
        if let after = list.ordinals(after: mark) { return after }
        // The list re-encoded itself since the mark (a quote first seen as a tombstone got
        // its put): read it all and keep the unranked ordinals. Rare.
        let unranked = Set(ordinals)
        return list.ordinals.filter(unranked.contains)
    }

    /// Notes that a ranking of everything indexed so far is being built under `token`, from
    /// lists that now end at `words` and `tags`.
    mutating func begin(token: UInt64, words: [PostingList], tags: [PostingList]) {
        isRecording = true
        pending = (token, ordinals.count, words.map(\.mark), tags.map(\.mark))
    }

    /// Drops what the finished ranking `token` covers; false (changing nothing) when it is
    /// not the pending one, as after the indexes were rebuilt meanwhile.
    mutating func finish(token: UInt64) -> Bool {
        guard let pending, pending.token == token else { return false }
        self.pending = nil
        ordinals = Array(ordinals[pending.covers...])
        wordMarks = pending.words
        tagMarks = pending.tags
        return true
    }
}
