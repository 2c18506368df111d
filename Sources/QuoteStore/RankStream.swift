/// One condition of a search as ranks, ascending: a term's ranked list, or the union of
/// the lists of the words a short prefix stands for (so `superintell* lab` is intersected
/// like two words rather than reading the text of every quote holding `lab`).
struct RankStream {
    /// The most words a prefix's union is intersected with; a prefix standing for more
    /// is checked in each candidate's text instead, as seeking each of its lists at every
    /// step would cost more than reading the text.
    static let maximumUnion = 64

    private var cursors: [RankedPostingList.Cursor]
    /// How many ranks the lists hold together (the union's size at most).
    let count: Int
    private(set) var current: UInt32?

    init(_ lists: [RankedPostingList]) {
        cursors = lists.map(RankedPostingList.Cursor.init).filter { $0.current != nil }
        count = lists.reduce(0) { $0 + $1.count }
        current = cursors.compactMap(\.current).min()
    }

    /// Moves to the first rank at or above `target` and returns it; nil past the end.
    @discardableResult
    mutating func seek(_ target: UInt32) -> UInt32? {
        guard let value = current else { return nil }
        if value >= target { return value }
        if cursors.count == 1 {
            current = cursors[0].seek(target)
            return current
        }
        var minimum: UInt32?
        var index = 0
        while index < cursors.count {
            if let rank = cursors[index].seek(target) {
                minimum = min(minimum ?? rank, rank)
                index += 1
            } else {
                cursors.swapAt(index, cursors.count - 1)
                cursors.removeLast()
            }
        }
        current = minimum
        return current
    }

    /// Moves past the current rank.
    mutating func advance() {
        guard let value = current else { return }
        if value == .max {
            current = nil
        } else {
            seek(value + 1)
        }
    }
}
