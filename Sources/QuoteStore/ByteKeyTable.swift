/// Interns byte strings (folded words, speaker keys) as dense `UInt32` ids.
///
/// Open addressing with linear probing over one flat key arena, so indexing a million
/// quotes costs hashes and memcmp, not a String allocation per word. Not thread-safe:
/// the archive's lock guards it.
struct ByteKeyTable {
    private var slots: [UInt32]            // key id + 1; 0 means empty
    private var hashes: [UInt32] = []      // by key id
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

    static func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    /// The id of `key`, if interned.
    func find(_ key: UnsafeRawBufferPointer) -> UInt32? {
        let hash = ByteKeyTable.hash(key)
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = entry - 1
            if hashes[Int(id)] == hash && equals(id, key) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `key` as bytes, if interned.
    func find(_ key: [UInt8]) -> UInt32? {
        key.withUnsafeBytes { find($0) }
    }

    /// The id of `key`, interning it if new; `isNew` tells which.
    mutating func intern(_ key: UnsafeRawBufferPointer) -> (id: UInt32, isNew: Bool) {
        let hash = ByteKeyTable.hash(key)
        var mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = entry - 1
            if hashes[Int(id)] == hash && equals(id, key) { return (id, false) }
            slot = (slot + 1) & mask
        }
        let id = UInt32(hashes.count)
        hashes.append(hash)
        arena.append(contentsOf: key)
        starts.append(UInt32(arena.count))
        if hashes.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
            slot = Int(hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
        }
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
            var slot = Int(hashes[id]) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = UInt32(id) + 1
        }
        slots = bigger
    }
}

#if canImport(Glibc)
import Glibc
#endif
