/// One condition of a search as ranks, ascending: a term's ranked list, or the union of
/// the lists of the words a short prefix stands for (so `superintell* lab` is intersected
/// like two words rather than reading the text of every quote holding `lab`).
struct RankStream {
    /// The most words a prefix's union is intersected with; a prefix standing for more
    /// is checked in each candidate's text instead, as seeking each of its lists at every
    /// step would cost more than reading the text.
    static let maximumUnion = 64

    /// A term's list, kept apart from `cursors`: seeking through an array element checked
    /// the array's uniqueness at every step.
    private var single: RankedPostingList.Cursor?
    private var cursors: [RankedPostingList.Cursor] = []
    /// How many ranks the lists hold together (the union's size at most).
    let count: Int
    private(set) var current: UInt32?

    init(_ lists: [RankedPostingList]) {
        count = lists.reduce(0) { $0 + $1.count }
        if lists.count == 1 {
            single = RankedPostingList.Cursor(lists[0])
            current = single?.current
        } else {
            cursors = lists.map(RankedPostingList.Cursor.init).filter { $0.current != nil }
            current = cursors.compactMap(\.current).min()
        }
    }

    /// Moves to the first rank at or above `target` and returns it; nil past the end.
    @discardableResult
    mutating func seek(_ target: UInt32) -> UInt32? {
        guard let value = current else { return nil }
        if value >= target { return value }
        if single != nil {
            current = single!.seek(target)
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
        if single != nil {
            single!.advance()
            current = single!.current
        } else if value == .max {
            current = nil
        } else {
            seek(value + 1)
        }
    }
}
