import QuoteCore

// Word, tag and prefix searches over the `RankedIndex`: the lists are intersected in
// result order, so a page ends as soon as it is full, and the quotes indexed since the
// ranking (`UnrankedTail`) are merged in at their places.
extension ArchiveState {
    /// Calls `body` with the matches of a filter with words, tags or prefixes, in (date,
    /// id) order after `cursor`, until it returns false. With a `budget`, returns the
    /// ordinal after which the search should resume when the budget ran out first.
    func forEachRankedMatch(_ filter: PreparedFilter, ranked: RankedIndex, after cursor: Cursor?,
                            budget: Int?, _ body: (UInt32) -> Bool) -> UInt32? {
        let byRank = ranked.ordinalByRank
        let (startRank, stopRank) = rankRange(filter, byRank: byRank, after: cursor)
        var unranked = unrankedCandidates(filter, after: cursor)
        unranked.sort(by: precedes)
        var nextUnranked = 0
        // A prefix short enough to be intersected as a union (`RankStream`) holds for every
        // candidate: only the others are checked in the text.
        var checked = filter
        let unchecked = filter.prefixExpansions.map { $0.count > RankStream.maximumUnion }
        checked.prefixExpansions = zip(filter.prefixExpansions, unchecked).filter(\.1).map(\.0)
        checked.textCheck?.keepPrefixes(unchecked)
        // The unranked candidates' checks count against the same budget: a long tail must
        // not make a page unbounded.
        var work = SearchWork(budget: budget)
        var ranks = CandidateRanks(filter, ranked: ranked, from: startRank, below: stopRank)
        // With texts to read, the steps are taken a few candidates ahead so that their
        // entries and texts are fetched from memory together rather than one miss at a time.
        // Quotes lacking a phrase's word pairs are not fetched (read as locals: a closure
        // calling a method of `self` would copy the whole state).
        let readsTexts = checked.needsTextCheck
        let (pairs, pairBits) = (indexes.wordPairs, checked.phrasePairBits)
        while true {
            if readsTexts && !ranks.hasBuffered {
                prefetchQuotes(ranks.buffer(candidates: ArchiveState.textLookahead).lazy.filter(\.isCandidate)
                    .map { byRank[Int($0.rank)] }.filter { pairs.mayHold($0, pairBits) })
            }
            guard let (rank, isCandidate) = ranks.next() else { break }
            work.steps += 1
            if work.isOver, rank > startRank {
                // Every rank below `rank` is decided: the unranked matches before it go in
                // this page, and the next page starts after the rank before it.
                let resumeAfter = byRank[Int(rank) - 1]
                switch flushUnranked(unranked, from: &nextUnranked, before: resumeAfter, filter, body, &work) {
                case .done: return resumeAfter
                case .stopped: return nil
                case .outOfBudget(let after): return after
                }
            }
            guard isCandidate else { continue }
            let ordinal = byRank[Int(rank)]
            work.steps += checked.checkCost
            guard accepts(ordinal, checked, speakerImplied: false, postingsImplied: true) else { continue }
            switch flushUnranked(unranked, from: &nextUnranked, before: ordinal, filter, body, &work) {
            case .done: if !body(ordinal) { return nil }
            case .stopped: return nil
            case .outOfBudget(let after): return after
            }
        }
        switch flushUnranked(unranked, from: &nextUnranked, before: nil, filter, body, &work) {
        case .done, .stopped: return nil
        case .outOfBudget(let after): return after
        }
    }

    /// How many candidates ahead a search that reads texts takes its steps.
    static let textLookahead = 8

    private enum FlushOutcome {
        /// Every unranked candidate before the ordinal was handed on or ruled out.
        case done
        /// `body` asked to stop.
        case stopped
        /// The budget ran out after checking the unranked candidate `after`: everything up
        /// to it is decided, and the next page goes on after it.
        case outOfBudget(after: UInt32)
    }

    /// Hands `body` the unranked candidates from `next` on that come before `ordinal` (all
    /// of them when nil) and pass the filter. Each is checked only when its turn comes, so
    /// a page that fills early reads no more of the tail's texts than it needs, and each
    /// check is counted in `work`.
    private func flushUnranked(_ unranked: [UInt32], from next: inout Int, before ordinal: UInt32?,
                               _ filter: PreparedFilter, _ body: (UInt32) -> Bool, _ work: inout SearchWork) -> FlushOutcome {
        while next < unranked.count, ordinal.map({ precedes(unranked[next], $0) }) ?? true {
            let candidate = unranked[next]
            next += 1
            work.steps += filter.checkCost
            if accepts(candidate, filter, speakerImplied: false, postingsImplied: true) && !body(candidate) { return .stopped }
            if work.isOver { return .outOfBudget(after: candidate) }
        }
        return .done
    }

    /// The ranks a search looks at: from the first after `cursor` and in the date range,
    /// to (not including) the first past the range.
    private func rankRange(_ filter: PreparedFilter, byRank: [UInt32], after cursor: Cursor?) -> (UInt32, UInt32) {
        let entries = self.entries
        var start = 0
        let firstKey = filter.fromDay.map { UInt32(dayToYear($0)) << 16 } ?? 0
        if cursor != nil || firstKey > 0 {
            start = byRank.partitionPoint { ordinal in
                let entry = entries[Int(ordinal)]
                return entry.sortKey >= firstKey && cursor.map { ArchiveState.isAfter(entry, $0) } ?? true
            }
        }
        var stop = byRank.count
        if let toDay = filter.toDay {
            let lastKey = UInt32(dayToYear(toDay)) << 16 | 0xFFFF
            stop = byRank.partitionPoint { entries[Int($0)].sortKey > lastKey }
        }
        return (UInt32(start), UInt32(max(start, stop)))
    }

    /// The quotes indexed since the ranking that hold the filter's words and tags (or a
    /// word of its smallest prefix), after `cursor`, in no particular order; the other
    /// conditions are for `accepts`.
    private func unrankedCandidates(_ filter: PreparedFilter, after cursor: Cursor?) -> [UInt32] {
        let tail = indexes.unranked
        guard tail.count > 0 else { return [] }
        let (words, tags) = (indexes.words.postings, indexes.tags.postings)
        var lists = filter.wordIDs.map { tail.words($0, in: words[Int($0)]) } + filter.tagIDs.map { tail.tags($0, in: tags[Int($0)]) }
        var candidates: [UInt32]
        if lists.isEmpty {
            guard let smallest = filter.prefixExpansions.min(by: {
                $0.reduce(0) { $0 + words[Int($1)].count } < $1.reduce(0) { $0 + words[Int($1)].count }
            }) else { return [] }
            candidates = Array(Set(smallest.flatMap { tail.words($0, in: words[Int($0)]) }))
        } else {
            lists.sort { $0.count < $1.count }
            candidates = lists[0].filter { ordinal in
                lists.dropFirst().allSatisfy { list in
                    let position = list.partitionPoint { $0 >= ordinal }
                    return position < list.count && list[position] == ordinal
                }
            }
        }
        return candidates.filter { isAfter($0, cursor) && entries[Int($0)].isLive }
    }
}

/// Cursors over ranked lists, the one at the lowest rank on top: the union of a prefix's
/// lists in rank order.
struct RankCursorHeap {
    private var cursors: [RankedPostingList.Cursor] = []

    var minimum: UInt32? { cursors.first?.current }

    /// Adds a cursor that is not at its end.
    mutating func push(_ cursor: RankedPostingList.Cursor) {
        cursors.append(cursor)
        var child = cursors.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard key(child) < key(parent) else { break }
            cursors.swapAt(child, parent)
            child = parent
        }
    }

    /// Moves every cursor at `rank` (the minimum) past it, dropping those that end.
    mutating func advancePast(_ rank: UInt32) {
        while let top = cursors.first?.current, top == rank {
            cursors[0].advance()
            if cursors[0].current == nil {
                cursors.swapAt(0, cursors.count - 1)
                cursors.removeLast()
            }
            siftDown(0)
        }
    }

    private func key(_ index: Int) -> UInt32 { cursors[index].current ?? .max }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < cursors.count else { return }
            var smallest = left
            if left + 1 < cursors.count && key(left + 1) < key(left) { smallest = left + 1 }
            guard key(smallest) < key(parent) else { return }
            cursors.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
