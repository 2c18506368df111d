/// The quotes holding one term, as ascending ranks (positions in the archive's (date, id)
/// order, see `RankedIndex`), in blocks that a search can jump between.
///
/// A block holds `blockSize` ranks: its first one whole in `heads`, the rest as LEB128
/// deltas from `offsets[block]` on in `bytes`. Seeking compares against the dense `heads`
/// (galloping, then a binary search) and decodes at most one block, so intersecting a
/// rare term with a frequent one costs about the rare list's length times a few probes,
/// not the frequent list's length; and because ranks are result order, an intersection
/// that has found a page's worth of matches stops there.
///
/// A class over memory of its own, written once in `init` and never changed: a cursor
/// reads it through plain pointers, where reading Swift arrays retained and released them
/// at every seek (a third of a two-word search's time).
final class RankedPostingList: @unchecked Sendable {
    // @unchecked: the buffers are written only in init, then only read.
    static let blockSize = 64

    let count: Int
    private let heads: UnsafeMutableBufferPointer<UInt32>
    private let offsets: UnsafeMutableBufferPointer<UInt32>
    private let bytes: UnsafeMutableBufferPointer<UInt8>

    static let empty = RankedPostingList(sorted: [])

    /// The list of `ranks`, which must be strictly ascending.
    init(sorted ranks: [UInt32]) {
        var size = 0
        for index in ranks.indices where index % Self.blockSize != 0 {
            precondition(ranks[index] > ranks[index - 1], "ranks must ascend")
            let delta = ranks[index] - ranks[index - 1]
            size += delta < 1 << 7 ? 1 : delta < 1 << 14 ? 2 : delta < 1 << 21 ? 3 : delta < 1 << 28 ? 4 : 5
        }
        let blocks = (ranks.count + Self.blockSize - 1) / Self.blockSize
        count = ranks.count
        heads = .allocate(capacity: blocks)
        offsets = .allocate(capacity: blocks)
        bytes = .allocate(capacity: size)
        var written = 0
        for (index, rank) in ranks.enumerated() {
            if index % Self.blockSize == 0 {
                heads[index / Self.blockSize] = rank
                offsets[index / Self.blockSize] = UInt32(written)
                continue
            }
            var delta = rank - ranks[index - 1]
            while delta >= 0x80 {
                bytes[written] = UInt8(truncatingIfNeeded: delta) | 0x80
                written += 1
                delta >>= 7
            }
            bytes[written] = UInt8(delta)
            written += 1
        }
    }

    deinit {
        heads.deallocate()
        offsets.deallocate()
        bytes.deallocate()
    }

    /// Every rank, ascending (for tests).
    var ranks: [UInt32] {
        var cursor = Cursor(self)
        var out: [UInt32] = []
        while let rank = cursor.current {
            out.append(rank)
            cursor.advance()
        }
        return out
    }

    /// A position in a list: the rank there (nil past the end), moving only forward.
    struct Cursor {
        /// Keeps the memory below alive.
        private let list: RankedPostingList
        private let heads: UnsafeMutableBufferPointer<UInt32>
        private let offsets: UnsafeMutableBufferPointer<UInt32>
        private let bytes: UnsafeMutableBufferPointer<UInt8>
        private let count: Int
        private var block = 0
        /// The index of `current` in its block.
        private var inBlock = 0
        /// Where the delta after `current` starts in `bytes`.
        private var byte = 0
        private(set) var current: UInt32?

        init(_ list: RankedPostingList) {
            self.list = list
            (heads, offsets, bytes, count) = (list.heads, list.offsets, list.bytes, list.count)
            if count > 0 { enter(block: 0) }
        }

        private mutating func enter(block: Int) {
            self.block = block
            inBlock = 0
            byte = Int(offsets[block])
            current = heads[block]
        }

        /// Moves to the next rank.
        mutating func advance() {
            guard let value = current else { return }
            inBlock += 1
            if block &* RankedPostingList.blockSize &+ inBlock >= count {
                current = nil
            } else if inBlock == RankedPostingList.blockSize {
                enter(block: block + 1)
            } else {
                var delta: UInt32 = 0
                var shift: UInt32 = 0
                while true {
                    let next = bytes[byte]
                    byte += 1
                    delta |= UInt32(next & 0x7F) << shift
                    if next & 0x80 == 0 { break }
                    shift += 7
                }
                current = value + delta
            }
        }

        /// Moves to the first rank at or above `target` (staying put if already there) and
        /// returns it; nil when the list has none.
        @discardableResult
        mutating func seek(_ target: UInt32) -> UInt32? {
            guard let value = current else { return nil }
            if value >= target { return value }
            if block + 1 < heads.count && heads[block + 1] <= target {
                // Gallop over the heads to bracket the last block starting at or below the
                // target, then search the bracket.
                var low = block + 1
                var step = 1
                var high = low + step
                while high < heads.count && heads[high] <= target {
                    low = high
                    step *= 2
                    high = low + step
                }
                high = min(high, heads.count)
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if heads[middle] <= target { low = middle } else { high = middle }
                }
                enter(block: low)
            }
            while let rank = current, rank < target { advance() }
            return current
        }
    }
}
