import CQuoteSupport
import QuoteCore

/// Finds an id's ordinal: open addressing over `UInt32` slots whose keys live in the
/// entries array, so a million ids cost 8 MB here instead of a `[QuoteID: UInt32]`
/// dictionary's 40-odd MB that also duplicated every id.
///
/// Ids are SHA-256 prefixes, but a peer may send tombstones for any id, so the probe
/// start mixes in a per-process seed. Guarded by the archive's lock like the entries.
struct OrdinalTable {
    private var slots: [UInt32]  // ordinal + 1; 0 means empty
    private(set) var count = 0
    /// Mixed into every probe start. A stored property, not a lazily initialized static:
    /// the `swift_once` call that guards such a static is opaque to the optimizer, which
    /// then copied the whole archive state (retaining every array) around each lookup.
    private let seed = UInt64.random(in: 0...UInt64.max) | 1

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
    }

    private static func start(_ id: QuoteID, mask: Int, seed: UInt64) -> Int {
        var mixed = (id.high ^ (id.low &* 0x9E37_79B9_7F4A_7C15)) &* seed
        mixed ^= mixed >> 29
        return Int(truncatingIfNeeded: mixed) & mask
    }

    /// The ordinal of `id` among `entries`, if known.
    func find(_ id: QuoteID, in entries: [ArchiveEntry]) -> UInt32? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                let mask = slots.count - 1
                var slot = OrdinalTable.start(id, mask: mask, seed: seed)
                while true {
                    let stored = slots[slot]
                    if stored == 0 { return nil }
                    if entries[Int(stored - 1)].id == id { return stored - 1 }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Starts loading the slot where a lookup of `id` begins.
    func prefetch(_ id: QuoteID) {
        slots.withUnsafeBufferPointer { slots in
            cqs_prefetch(slots.baseAddress! + OrdinalTable.start(id, mask: slots.count - 1, seed: seed))
        }
    }

    /// Grows now so `extra` more ids fit without growing later.
    mutating func reserveCapacity(_ extra: Int, in entries: [ArchiveEntry]) {
        while (count + extra) * 2 > slots.count { grow(entries) }
    }

    /// Records `ordinal` for `id`, which must not be in the table yet.
    mutating func insert(_ ordinal: UInt32, for id: QuoteID, in entries: [ArchiveEntry]) {
        if (count + 1) * 2 > slots.count { grow(entries) }
        count += 1
        let seed = self.seed
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var slot = OrdinalTable.start(id, mask: mask, seed: seed)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = ordinal + 1
        }
    }

    /// Points `id`, which is in the table, at `ordinal` instead: a newer version of its
    /// quote (other metadata) took a new ordinal.
    mutating func repoint(_ id: QuoteID, to ordinal: UInt32, in entries: [ArchiveEntry]) {
        let seed = self.seed
        slots.withUnsafeMutableBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                let mask = slots.count - 1
                var slot = OrdinalTable.start(id, mask: mask, seed: seed)
                while slots[slot] != 0 {
                    if entries[Int(slots[slot] - 1)].id == id {
                        slots[slot] = ordinal + 1
                        return
                    }
                    slot = (slot + 1) & mask
                }
                preconditionFailure("repointing an id the table does not hold")
            }
        }
    }

    private mutating func grow(_ entries: [ArchiveEntry]) {
        var bigger = [UInt32](repeating: 0, count: slots.count * 2)
        let seed = self.seed
        bigger.withUnsafeMutableBufferPointer { bigger in
            entries.withUnsafeBufferPointer { entries in
                let mask = bigger.count - 1
                for stored in slots where stored != 0 {
                    var slot = OrdinalTable.start(entries[Int(stored - 1)].id, mask: mask, seed: seed)
                    while bigger[slot] != 0 { slot = (slot + 1) & mask }
                    bigger[slot] = stored
                }
            }
        }
        slots = bigger
    }
}
