/// Interns byte strings (folded words, speaker keys) as dense `UInt32` ids.
///
/// Open addressing with linear probing over one flat key arena, so indexing a million
/// quotes costs hashes and memcmp, not a String allocation per word. Not thread-safe:
/// the archive's lock guards it.
struct ByteKeyTable {
    private var slots: [UInt32]            // key id + 1; 0 means empty
    private var hashes: [UInt32] = []      // by key id: the low half, checked before comparing bytes
    private var fullHashes: [UInt64] = []  // by key id: the whole hash, to re-slot on growth
    private var starts: [UInt32] = [0]     // key id -> start in arena; one extra end marker
    private var arena: [UInt8] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
    }

    /// The number of keys interned.
    var count: Int { hashes.count }

    /// The bytes of key `id`.
    func key(_ id: UInt32) -> ArraySlice<UInt8> {
        arena[Int(starts[Int(id)])..<Int(starts[Int(id) + 1])]
    }

    /// A multiply-xorshift hash over 8-byte chunks: a word costs a few multiplies rather
    /// than one per byte.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(key.count) &* multiplier
        var offset = 0
        let count = key.count
        while offset + 8 <= count {
            hash = (hash ^ key.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            hash ^= hash >> 32
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(key[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 32
        }
        hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }

    /// The id of `key`, if interned.
    func find(_ key: UnsafeRawBufferPointer) -> UInt32? {
        find(key, hash: ByteKeyTable.hash(key))
    }

    /// The id of `key`, whose `hash(_:)` is `hash`, if interned.
    func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> UInt32? {
        let short = UInt32(truncatingIfNeeded: hash)
        return slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash >> 32) & mask
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    let id = entry - 1
                    if hashes[Int(id)] == short && equals(id, key) { return id }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The id of `key` as bytes, if interned.
    func find(_ key: [UInt8]) -> UInt32? {
        key.withUnsafeBytes { find($0) }
    }

    /// The id of `key`, interning it if new; `isNew` tells which.
    mutating func intern(_ key: UnsafeRawBufferPointer) -> (id: UInt32, isNew: Bool) {
        intern(key, hash: ByteKeyTable.hash(key))
    }

    /// The id of `key`, whose `hash(_:)` is `hash`, interning it if new.
    mutating func intern(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (id: UInt32, isNew: Bool) {
        if let id = find(key, hash: hash) { return (id, false) }
        let id = UInt32(hashes.count)
        hashes.append(UInt32(truncatingIfNeeded: hash))
        fullHashes.append(hash)
        arena.append(contentsOf: key)
        starts.append(UInt32(arena.count))
        if hashes.count * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
        return (id, true)
    }

    private func equals(_ id: UInt32, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = Int(starts[Int(id)])
        let end = Int(starts[Int(id) + 1])
        guard end - start == key.count else { return false }
        return arena.withUnsafeBytes { stored in
            key.count == 0 || memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func grow() {
        var bigger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for id in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: fullHashes[id] >> 32) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = UInt32(id) + 1
        }
        slots = bigger
    }
}

#if canImport(Glibc)
import Glibc
#endif
