/// The ordinals of the quotes holding one word, ascending, as LEB128 deltas.
///
/// Ordinals are handed out in increasing order and an id's content never changes, so a
/// list nearly always grows at its end; a frequent word costs about one byte per quote.
/// The exception is an id first seen as a tombstone (a replicated delete that arrived
/// before its put): its ordinal is old when the put finally indexes it.
struct PostingList {
    private(set) var bytes: [UInt8] = []
    private(set) var last: UInt32 = 0
    private(set) var count: Int = 0
    /// How many times an ordinal below `last` made the list re-encode itself, which moves
    /// every byte after it and so voids a `Mark` taken before.
    private(set) var reencodings: UInt32 = 0

    /// Where the list ends now: what is appended later is decoded from here (`forEach(after:)`).
    struct Mark {
        var byteCount: UInt32
        var last: UInt32
        var reencodings: UInt32
    }

    var mark: Mark { Mark(byteCount: UInt32(bytes.count), last: last, reencodings: reencodings) }

    /// Adds an ordinal, keeping the list ascending; an ordinal already held is ignored.
    mutating func append(_ ordinal: UInt32) {
        if count > 0 && ordinal <= last {
            if ordinal == last { return }
            // Rare (see above): re-encode the list with the ordinal in its place.
            var all = ordinals
            let position = all.partitionPoint { $0 >= ordinal }
            if position < all.count && all[position] == ordinal { return }
            all.insert(ordinal, at: position)
            let reencoded = reencodings + 1
            self = PostingList()
            for each in all { append(each) }
            reencodings = reencoded
            return
        }
        var delta = count == 0 ? ordinal : ordinal - last
        while delta >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: delta) | 0x80)
            delta >>= 7
        }
        bytes.append(UInt8(delta))
        last = ordinal
        count += 1
    }

    /// An empty list.
    init() {}

    /// The list whose bytes, count and last ordinal are these, as an index snapshot saved
    /// them; `isValid` checks them first.
    init(encoded bytes: [UInt8], count: Int, last: UInt32) {
        self.bytes = bytes
        self.count = count
        self.last = last
    }

    /// Whether `bytes` decode to exactly `count` strictly ascending ordinals below `limit`,
    /// the last of them `last`.
    static func isValid(_ bytes: UnsafeRawBufferPointer, count: Int, last: UInt32, below limit: UInt32) -> Bool {
        var value: UInt64 = 0
        var delta: UInt64 = 0
        var shift: UInt64 = 0
        var decoded = 0
        for byte in bytes {
            guard shift < 35 else { return false }
            delta |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                // Only the first delta may be zero (ordinal 0).
                guard delta > 0 || decoded == 0 else { return false }
                value += delta
                guard value < UInt64(limit) else { return false }
                decoded += 1
                delta = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return shift == 0 && decoded == count && (count == 0 ? last == 0 : value == UInt64(last))
    }

    /// A list's bytes as `PostingList` encodes them (its first ordinal whole), with how
    /// many ordinals they hold and the last one.
    struct Encoded {
        var bytes: UnsafeRawBufferPointer
        var count: Int
        var last: UInt32
    }

    /// The lists one after the other, each one's ordinals above the one's before; the bytes
    /// are reserved at once, at about their final size.
    init(joining lists: [Encoded]) {
        // Each later list's first ordinal is re-encoded as a delta: at most 5 bytes each.
        bytes.reserveCapacity(lists.reduce(0) { $0 + $1.bytes.count + 5 })
        for list in lists { append(encoded: list) }
    }

    /// Appends every ordinal of `other`, all of which must be above this list's last.
    ///
    /// Only the first delta changes (`other` stores its first ordinal whole), so the rest
    /// of its bytes are copied as they are: this is how pieces indexed apart are joined.
    mutating func append(encoded other: Encoded) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            bytes.append(contentsOf: other.bytes)
            last = other.last
            count = other.count
            return
        }
        var first: UInt32 = 0
        var shift: UInt32 = 0
        var index = 0
        while true {
            let byte = other.bytes[index]
            first |= UInt32(byte & 0x7F) << shift
            index += 1
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        precondition(first > last, "joined posting lists overlap")
        append(first)
        bytes.append(contentsOf: other.bytes[index...])
        last = other.last
        count += other.count - 1
    }

    /// Calls `body` with each ordinal in ascending order.
    func forEach(_ body: (UInt32) -> Void) {
        var value: UInt32 = 0
        var delta: UInt32 = 0
        var shift: UInt32 = 0
        for byte in bytes {
            delta |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                value &+= delta
                body(value)
                delta = 0
                shift = 0
            } else {
                shift += 7
            }
        }
    }

    /// The ordinals appended since `mark` was taken, ascending; nil when the list was
    /// re-encoded since, and the mark no longer says where they start.
    func ordinals(after mark: Mark) -> [UInt32]? {
        guard mark.reencodings == reencodings, Int(mark.byteCount) <= bytes.count else { return nil }
        var out: [UInt32] = []
        var value = mark.last
        var delta: UInt32 = 0
        var shift: UInt32 = 0
        for byte in bytes[Int(mark.byteCount)...] {
            delta |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                value &+= delta
                out.append(value)
                delta = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return out
    }

    /// Every ordinal, ascending.
    var ordinals: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        forEach { out.append($0) }
        return out
    }
}
