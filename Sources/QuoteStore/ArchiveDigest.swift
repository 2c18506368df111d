import QuoteCore

/// An order-independent digest of the archive: the sum modulo 2^256 of
/// SHA-256(id ‖ u8 kind ‖ u64 timestamp ‖ u64 origin) over every id's winning op.
///
/// A sum (not a hash of a sorted list) lets the archive keep it current in O(1) per op:
/// subtract the old winner's term, add the new one's. Equal digests mean equal archives.
struct ArchiveDigest {
    /// Four 64-bit limbs, most significant first.
    private(set) var limbs: [UInt64] = [0, 0, 0, 0]

    static func term(_ entry: ArchiveEntry) -> [UInt64] {
        var writer = ByteWriter(capacity: 33)
        entry.id.encode(into: &writer)
        writer.writeInteger(entry.kind.rawValue)
        writer.writeInteger(entry.timestamp.rawValue)
        writer.writeInteger(entry.origin)
        let hash = SHA256.hash(writer.bytes)
        var reader = ByteReader(hash)
        return (0..<4).map { _ in (try? reader.readInteger(as: UInt64.self)) ?? 0 }
    }

    mutating func add(_ entry: ArchiveEntry) {
        let term = ArchiveDigest.term(entry)
        var carry: UInt64 = 0
        for index in (0..<4).reversed() {
            let (partial, overflow1) = limbs[index].addingReportingOverflow(term[index])
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            limbs[index] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    mutating func subtract(_ entry: ArchiveEntry) {
        let term = ArchiveDigest.term(entry)
        var borrow: UInt64 = 0
        for index in (0..<4).reversed() {
            let (partial, overflow1) = limbs[index].subtractingReportingOverflow(term[index])
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            limbs[index] = difference
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    mutating func replace(old: ArchiveEntry, new: ArchiveEntry) {
        subtract(old)
        add(new)
    }

    /// The 32 digest bytes, big-endian.
    var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 32)
        for limb in limbs { writer.writeInteger(limb) }
        return writer.bytes
    }
}
