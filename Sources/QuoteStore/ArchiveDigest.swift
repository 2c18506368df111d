import QuoteCore

/// The archive's two order-independent digests, each a sum modulo 2^256 of SHA-256 terms
/// (PROTOCOL.md, DIGEST):
///
/// - `content`: over every live quote, SHA-256(id ‖ its metadata as the Quote encoding lays
///   it out: date, source, lang, tags). Equal content digests mean the same live quotes
///   with the same metadata, whoever wrote them and when.
/// - `ops`: over every id's winning op, SHA-256(id ‖ u8 kind ‖ u64 timestamp ‖ u64 origin):
///   equal only when the same ops won, for debugging replication.
///
/// A sum (not a hash of a sorted list) lets the archive keep both current in O(1) per op:
/// subtract the old winner's terms, add the new one's.
struct ArchiveDigest {
    private(set) var content = Sum256()
    private(set) var ops = Sum256()

    /// Adds the terms of a current entry; `quote` is its quote's bytes when it is live.
    mutating func add(_ entry: ArchiveEntry, quote: UnsafeRawBufferPointer?) {
        ops.add(ArchiveDigest.opTerm(entry))
        if entry.isLive, let quote { content.add(ArchiveDigest.contentTerm(entry.id, quote: quote)) }
    }

    /// Takes back what `add` added for the same entry and bytes.
    mutating func subtract(_ entry: ArchiveEntry, quote: UnsafeRawBufferPointer?) {
        ops.subtract(ArchiveDigest.opTerm(entry))
        if entry.isLive, let quote { content.subtract(ArchiveDigest.contentTerm(entry.id, quote: quote)) }
    }

    static func opTerm(_ entry: ArchiveEntry) -> [UInt8] {
        var writer = ByteWriter(capacity: 33)
        entry.id.encode(into: &writer)
        writer.writeInteger(entry.kind.rawValue)
        writer.writeInteger(entry.timestamp.rawValue)
        writer.writeInteger(entry.origin)
        return SHA256.hash(writer.bytes)
    }

    static func contentTerm(_ id: QuoteID, quote: UnsafeRawBufferPointer) -> [UInt8] {
        let fields = QuoteFields(quote)
        var writer = ByteWriter(capacity: 16 + fields.metadata.count)
        id.encode(into: &writer)
        writer.writeBytes(fields.slice(fields.metadata))
        return SHA256.hash(writer.bytes)
    }
}

/// A 256-bit unsigned integer that only adds and subtracts, wrapping: four 64-bit limbs,
/// most significant first, read from and written as 32 big-endian bytes.
struct Sum256 {
    private(set) var limbs: [UInt64] = [0, 0, 0, 0]

    mutating func add(_ term: [UInt8]) {
        let value = Sum256.limbs(of: term)
        var carry: UInt64 = 0
        for index in (0..<4).reversed() {
            let (partial, overflow1) = limbs[index].addingReportingOverflow(value[index])
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            limbs[index] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    mutating func subtract(_ term: [UInt8]) {
        let value = Sum256.limbs(of: term)
        var borrow: UInt64 = 0
        for index in (0..<4).reversed() {
            let (partial, overflow1) = limbs[index].subtractingReportingOverflow(value[index])
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            limbs[index] = difference
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    /// The 32 bytes, big-endian.
    var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 32)
        for limb in limbs { writer.writeInteger(limb) }
        return writer.bytes
    }

    private static func limbs(of term: [UInt8]) -> [UInt64] {
        var reader = ByteReader(term)
        return (0..<4).map { _ in (try? reader.readInteger(as: UInt64.self)) ?? 0 }
    }
}
