/// The ranks a ranked search considers, ascending: those in `start..<stop` that hold every
/// word and tag of the filter and a word of each short prefix (`RankStream`), or, with only
/// long prefixes, a word of the smallest one.
///
/// An iterator rather than a function taking a closure: the search's loop calls `accepts`
/// on the archive state for each rank, and a closure capturing that state made Swift copy
/// it (two dozen arrays retained and released) at every candidate, which doubled a two-word
/// search's time.
struct CandidateRanks {
    /// A rank, and whether it is a candidate. A rank that is not (`isCandidate` false) comes
    /// after each step that found none: everything below it is decided, so the caller can
    /// count the work and stop at a known place.
    typealias Step = (rank: UInt32, isCandidate: Bool)

    private var streams: [RankStream] = []
    private var heap = RankCursorHeap()
    private var usesHeap = false
    private var candidate: UInt32?
    private let stop: UInt32
    /// Steps taken ahead by `buffer(candidates:)`, handed out by `next` first.
    private var buffered: [Step] = []
    private var nextBuffered = 0

    init(_ filter: PreparedFilter, ranked: RankedIndex, from start: UInt32, below stop: UInt32) {
        self.stop = stop
        guard start < stop else { return }
        streams = (filter.wordIDs.map(ranked.words) + filter.tagIDs.map(ranked.tags)).map { RankStream([$0]) }
        for expansion in filter.prefixExpansions where expansion.count <= RankStream.maximumUnion {
            streams.append(RankStream(expansion.map(ranked.words)))
        }
        guard streams.isEmpty else {
            streams.sort { $0.count < $1.count }
            candidate = streams[0].seek(start)
            return
        }
        // Long prefixes only: the union of the smallest one's lists, through a heap of
        // their cursors.
        usesHeap = true
        guard let smallest = filter.prefixExpansions.min(by: {
            $0.reduce(0) { $0 + ranked.words($1).count } < $1.reduce(0) { $0 + ranked.words($1).count }
        }) else { return }
        for id in smallest {
            var cursor = RankedPostingList.Cursor(ranked.words(id))
            if cursor.seek(start) != nil { heap.push(cursor) }
        }
    }

    /// The next step; nil when no candidate is left below `stop`.
    mutating func next() -> Step? {
        if nextBuffered < buffered.count {
            defer { nextBuffered += 1 }
            return buffered[nextBuffered]
        }
        return take()
    }

    /// Whether steps taken ahead are still to be handed out.
    var hasBuffered: Bool { nextBuffered < buffered.count }

    /// Takes the next steps ahead, up to `candidates` candidates (or four times as many
    /// steps), and returns them; `next` hands them out in order. Only once those are out.
    mutating func buffer(candidates: Int) -> ArraySlice<Step> {
        precondition(!hasBuffered)
        buffered.removeAll(keepingCapacity: true)
        nextBuffered = 0
        var found = 0
        while found < candidates, buffered.count < 4 * candidates, let step = take() {
            buffered.append(step)
            if step.isCandidate { found += 1 }
        }
        return buffered[...]
    }

    private mutating func take() -> Step? {
        if usesHeap {
            guard let rank = heap.minimum, rank < stop else { return nil }
            heap.advancePast(rank)
            return (rank, true)
        }
        // Leapfrog: the rarest stream proposes a rank, each other one seeks to it; one that
        // lands past it proposes its rank to the rarest in turn.
        guard let rank = candidate, rank < stop else { return nil }
        for index in 1..<streams.count {
            guard let other = streams[index].seek(rank) else {
                candidate = nil
                return nil
            }
            if other != rank {
                candidate = streams[0].seek(other)
                return candidate.map { ($0, false) }
            }
        }
        streams[0].advance()
        candidate = streams[0].current
        return (rank, true)
    }
}
