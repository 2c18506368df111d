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

    /// Adds an ordinal, keeping the list ascending; an ordinal already held is ignored.
    mutating func append(_ ordinal: UInt32) {
        if count > 0 && ordinal <= last {
            if ordinal == last { return }
            // Rare (see above): re-encode the list with the ordinal in its place.
            var all = ordinals
            let position = all.partitionPoint { $0 >= ordinal }
            if position < all.count && all[position] == ordinal { return }
            all.insert(ordinal, at: position)
            self = PostingList()
            for each in all { append(each) }
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

    /// Every ordinal, ascending.
    var ordinals: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        forEach { out.append($0) }
        return out
    }
}
