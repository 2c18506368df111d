import QuoteCore

/// Reads a snapshot's body, refusing to read past its end.
struct SnapshotReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, from offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func bytes(_ count: Int) throws(IndexSnapshot.Rejection) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - offset else { throw IndexSnapshot.Rejection(reason: "snapshot cut short") }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    mutating func u32() throws(IndexSnapshot.Rejection) -> UInt32 {
        RawByteReader(try bytes(4)).integer(at: 0, as: UInt32.self)
    }

    mutating func u64() throws(IndexSnapshot.Rejection) -> UInt64 {
        RawByteReader(try bytes(8)).integer(at: 0, as: UInt64.self)
    }

    /// `count` big-endian `u32`s.
    mutating func values(_ count: Int) throws(IndexSnapshot.Rejection) -> [UInt32] {
        let raw = RawByteReader(try bytes(count * 4))
        return [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = raw.integer(at: index * 4, as: UInt32.self) }
            initialized = count
        }
    }

    /// A `u32` count, then that many `u32`s, each below `limit`.
    mutating func list(below limit: UInt32) throws(IndexSnapshot.Rejection) -> [UInt32] {
        let values = try values(Int(try u32()))
        guard values.allSatisfy({ $0 < limit }) else { throw IndexSnapshot.Rejection(reason: "snapshot names an unknown id") }
        return values
    }

    mutating func sortedList(below limit: UInt32) throws(IndexSnapshot.Rejection) -> SortedOrdinalList {
        let ordinals = try list(below: limit)
        return ordinals.withUnsafeBufferPointer { SortedOrdinalList(sorted: $0) }
    }

    /// A table's keys in id order, each a length-prefixed byte string, interned afresh.
    mutating func table() throws(IndexSnapshot.Rejection) -> ByteKeyTable {
        let count = Int(try u32())
        var table = ByteKeyTable(capacity: max(1024, count))
        for _ in 0..<count {
            let key = try bytes(Int(try u32()))
            guard table.intern(key).isNew else { throw IndexSnapshot.Rejection(reason: "snapshot repeats a key") }
        }
        return table
    }

    /// A posting list: its count, its last ordinal and its bytes, checked to decode to
    /// exactly that many ascending ordinals below `limit`.
    mutating func postingList(below limit: UInt32) throws(IndexSnapshot.Rejection) -> PostingList {
        let count = Int(try u32())
        let last = try u32()
        let encoded = try bytes(Int(try u32()))
        guard PostingList.isValid(encoded, count: count, last: last, below: limit) else {
            throw IndexSnapshot.Rejection(reason: "snapshot holds a damaged posting list")
        }
        return PostingList(encoded: Array(encoded), count: count, last: last)
    }
}

extension ByteWriter {
    /// A snapshot list: a `u32` count, then the values.
    mutating func writeSnapshotList(_ values: [UInt32]) {
        writeInteger(UInt32(values.count))
        writeSnapshotValues(values)
    }

    /// Values as big-endian `u32`s, no count.
    mutating func writeSnapshotValues(_ values: [UInt32]) {
        for value in values { writeInteger(value) }
    }

    /// A snapshot table: its key count, then each key in id order, length-prefixed.
    mutating func writeSnapshotTable(_ table: ByteKeyTable) {
        writeInteger(UInt32(table.count))
        for id in 0..<UInt32(table.count) { writeLengthPrefixed(table.key(id)) }
    }

    /// A snapshot posting list: its count, its last ordinal, its bytes length-prefixed.
    mutating func writeSnapshotPostingList(_ list: PostingList) {
        writeInteger(UInt32(list.count))
        writeInteger(list.last)
        writeLengthPrefixed(list.bytes)
    }
}
