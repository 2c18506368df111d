import Dispatch
import Synchronization

/// The word and tag posting lists again, as ranks in (date, id) order instead of ordinals,
/// for the quotes indexed when it was built; never changed after.
///
/// Searches return matches in (date, id) order, but the posting lists are in ordinal
/// (arrival) order: a two-word search had to intersect both lists whole and then sort or
/// walk the date buckets to find its first twenty, about 2.5 ms at a million quotes. In
/// rank order an intersection yields matches in result order and stops at the page's end.
///
/// Ranks shift whenever a quote lands between two others, so this index is not updated:
/// quotes indexed after its build wait in `UnrankedTail`, which searches merge in, and the
/// writer builds a new one in the background once that tail has grown (`rankingIsDue`).
/// An ordinal's quote and sort key never change, so a rank stays true for its quote; a
/// quote deleted or superseded since is still listed, and searches skip it as they do in
/// the other lists.
final class RankedIndex: Sendable {
    /// The ordinal at each rank: every ordinal indexed at the build, in (date, id) order.
    let ordinalByRank: [UInt32]
    /// By word id (ids interned after the build have no list here).
    let words: [RankedPostingList]
    /// By tag id.
    let tags: [RankedPostingList]

    /// The ranked lists of the indexes `input` copied.
    init(_ input: RankingInput) {
        var byRank: [UInt32] = []
        byRank.reserveCapacity(input.ordinalLimit)
        for key in input.dates.sortedKeys {
            input.dates.buckets[key]?.forEach { byRank.append($0); return true }
        }
        var rankOf = [UInt32](repeating: .max, count: input.ordinalLimit)
        for (rank, ordinal) in byRank.enumerated() { rankOf[Int(ordinal)] = UInt32(rank) }
        ordinalByRank = byRank
        words = RankedIndex.rank(input.words, rankOf: rankOf, byRank: byRank)
        tags = RankedIndex.rank(input.tags, rankOf: rankOf, byRank: byRank)
    }

    /// The rank lists of `lists`, on two threads (each taking every other term). A frequent
    /// term's list is read off a bitmap of its ordinals while walking the ranks in order
    /// (the bitmap stays in cache); a rarer one is mapped to ranks and radix-sorted.
    /// Scattering every posting into per-rank slots instead (a counting sort) missed the
    /// cache twice per posting: 5.6 s at a million quotes.
    ///
    /// `concurrentPerform`, not a second work item waited for: a build runs on a global
    /// queue's thread, and blocking it on another item starved the pool when many archives
    /// ranked at once (a test suite opening hundreds).
    private static func rank(_ lists: [PostingList], rankOf: [UInt32], byRank: [UInt32]) -> [RankedPostingList] {
        let halves = RankedHalves()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            halves.set(half, rank(lists, every: 2, from: half, rankOf: rankOf, byRank: byRank))
        }
        return lists.indices.map { halves.lists[$0 % 2][$0 / 2] }
    }

    /// The rank lists of `lists[from]`, `lists[from + every]`, and so on.
    private static func rank(_ lists: [PostingList], every: Int, from: Int, rankOf: [UInt32], byRank: [UInt32])
        -> [RankedPostingList] {
        var bits = [UInt64](repeating: 0, count: (rankOf.count + 63) / 64)
        var ranks: [UInt32] = []
        var scratch: [UInt32] = []
        return stride(from: from, to: lists.count, by: every).map { term in
            let list = lists[term]
            ranks.removeAll(keepingCapacity: true)
            if list.count > byRank.count / denseFraction {
                list.forEach { bits[Int($0 >> 6)] |= 1 << UInt64($0 & 63) }
                byRank.withUnsafeBufferPointer { byRank in
                    for (rank, ordinal) in byRank.enumerated() where bits[Int(ordinal >> 6)] >> UInt64(ordinal & 63) & 1 != 0 {
                        ranks.append(UInt32(rank))
                    }
                }
                list.forEach { bits[Int($0 >> 6)] = 0 }
            } else {
                list.forEach { ordinal in
                    let rank = rankOf[Int(ordinal)]
                    if rank != .max { ranks.append(rank) }
                }
                radixSort(&ranks, scratch: &scratch, below: UInt32(byRank.count))
            }
            return RankedPostingList(sorted: ranks)
        }
    }

    /// Sorts `values`, all below `limit`, by 11-bit digits: two passes up to 4 million ranks.
    static func radixSort(_ values: inout [UInt32], scratch: inout [UInt32], below limit: UInt32) {
        guard values.count > 256 else {
            values.sort()
            return
        }
        var passes = 1
        while passes < 3 && limit > 1 << (11 * passes) { passes += 1 }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: repeatElement(0, count: values.count))
        var counts = [Int](repeating: 0, count: 2049)
        for pass in 0..<passes {
            let shift = UInt32(11 * pass)
            for index in counts.indices { counts[index] = 0 }
            for value in values { counts[Int(value >> shift & 0x7FF) + 1] += 1 }
            for digit in 0..<2048 { counts[digit + 1] += counts[digit] }
            for value in values {
                let digit = Int(value >> shift & 0x7FF)
                scratch[counts[digit]] = value
                counts[digit] += 1
            }
            swap(&values, &scratch)
        }
    }

    /// Past this fraction of the ranks, a list is read off a bitmap rather than sorted.
    static let denseFraction = 24

    /// How many ordinals were indexed when this was built.
    var count: Int { ordinalByRank.count }

    func words(_ id: UInt32) -> RankedPostingList { Int(id) < words.count ? words[Int(id)] : RankedPostingList.empty }
    func tags(_ id: UInt32) -> RankedPostingList { Int(id) < tags.count ? tags[Int(id)] : RankedPostingList.empty }
}

/// The two halves `concurrentPerform` ranks.
private final class RankedHalves: @unchecked Sendable {
    // @unchecked: each slot is written by one iteration, under the lock, and read after
    // `concurrentPerform` has returned.
    private(set) var lists: [[RankedPostingList]] = [[], []]
    private let lock = Mutex(())

    func set(_ half: Int, _ ranked: [RankedPostingList]) {
        lock.withLock { _ in lists[half] = ranked }
    }
}

/// What a `RankedIndex` is built from: copies of the indexes taken under the lock, so the
/// build runs off the writer while it goes on changing its own.
struct RankingInput: Sendable {
    var dates: DateIndex
    var words: [PostingList]
    var tags: [PostingList]
    /// The archive's ordinal count at the copy: every ordinal listed is below it.
    var ordinalLimit: Int
}
