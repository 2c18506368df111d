/// The quotes indexed since the current `RankedIndex` was copied for its build: searches
/// take their matches from here as well, and the next ranking covers them.
///
/// Recording starts with the first ranking; before it every search uses the ordinal lists.
/// A term's ordinals are kept ascending, as the lists they mirror.
struct UnrankedTail {
    private(set) var isRecording = false
    /// Ordinals in the order they were indexed.
    private(set) var ordinals: [UInt32] = []
    private(set) var words: [UInt32: [UInt32]] = [:]
    private(set) var tags: [UInt32: [UInt32]] = [:]
    /// The ranking being built, if any: its token, and how many of `ordinals` it covers.
    private(set) var pending: (token: UInt64, covers: Int)?

    /// How many quotes a search finds only here.
    var count: Int { ordinals.count }

    mutating func record(_ ordinal: UInt32) {
        if isRecording { ordinals.append(ordinal) }
    }

    mutating func recordWord(_ id: UInt32, _ ordinal: UInt32) {
        if isRecording { UnrankedTail.insert(ordinal, into: &words[id, default: []]) }
    }

    mutating func recordTag(_ id: UInt32, _ ordinal: UInt32) {
        if isRecording { UnrankedTail.insert(ordinal, into: &tags[id, default: []]) }
    }

    /// Inserts in ascending place: at the end, but for a quote first seen as a tombstone
    /// whose put came later (its ordinal is old).
    private static func insert(_ ordinal: UInt32, into list: inout [UInt32]) {
        if let last = list.last, ordinal <= last {
            let position = list.partitionPoint { $0 >= ordinal }
            if position == list.count || list[position] != ordinal { list.insert(ordinal, at: position) }
        } else {
            list.append(ordinal)
        }
    }

    /// Notes that a ranking of everything indexed so far is being built under `token`.
    mutating func begin(token: UInt64) {
        isRecording = true
        pending = (token, ordinals.count)
    }

    /// Drops what the finished ranking `token` covers; false (changing nothing) when it is
    /// not the pending one, as after the indexes were rebuilt meanwhile.
    mutating func finish(token: UInt64, ordinalLimit: Int) -> Bool {
        guard let pending, pending.token == token else { return false }
        self.pending = nil
        let kept = ordinals[pending.covers...]
        var isKept = [Bool](repeating: false, count: ordinalLimit)
        for ordinal in kept { isKept[Int(ordinal)] = true }
        ordinals = Array(kept)
        func filter(_ lists: inout [UInt32: [UInt32]]) {
            for key in Array(lists.keys) {
                let remaining = lists[key]!.filter { isKept[Int($0)] }
                lists[key] = remaining.isEmpty ? nil : remaining
            }
        }
        filter(&words)
        filter(&tags)
        return true
    }
}
