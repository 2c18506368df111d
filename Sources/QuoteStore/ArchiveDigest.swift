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
/// subtract the old winner's terms, add the new one's. The same holds for any range of
/// ids, which is what DIGEST_RANGE compares; the 256 first-byte ranges are kept too.
struct ArchiveDigest {
    private(set) var content = Sum256()
    private(set) var ops = Sum256()
    /// The content digest split by the first byte of the id: 256 sums of four limbs each,
    /// so DIGEST_RANGE of the whole archive answers without reading a quote.
    private var contentByFirstByte = [UInt64](repeating: 0, count: 256 * 4)
    /// Live quotes by the first byte of the id.
    private var liveByFirstByte = [UInt64](repeating: 0, count: 256)

    /// Adds the terms of a current entry; `quote` is its quote's bytes when it is live.
    mutating func add(_ entry: ArchiveEntry, quote: UnsafeRawBufferPointer?) {
        ops.add(ArchiveDigest.opTerm(entry))
        guard entry.isLive, let quote else { return }
        let term = ArchiveDigest.contentTerm(entry.id, quote: quote)
        content.add(term)
        let first = Int(entry.id.high >> 56)
        Sum256.add(term, to: &contentByFirstByte, at: first * 4)
        liveByFirstByte[first] += 1
    }

    /// Takes back what `add` added for the same entry and bytes.
    mutating func subtract(_ entry: ArchiveEntry, quote: UnsafeRawBufferPointer?) {
        ops.subtract(ArchiveDigest.opTerm(entry))
        guard entry.isLive, let quote else { return }
        let term = ArchiveDigest.contentTerm(entry.id, quote: quote)
        content.subtract(term)
        let first = Int(entry.id.high >> 56)
        Sum256.subtract(term, from: &contentByFirstByte, at: first * 4)
        liveByFirstByte[first] -= 1
    }

    /// The 256 ranges of ids by their first byte: live quotes and content digest of each.
    var firstByteParts: [DigestRange.Part] {
        (0..<DigestRange.partCount).map {
            DigestRange.Part(liveCount: liveByFirstByte[$0], digest: Sum256.bytes(of: contentByFirstByte, at: $0 * 4))
        }
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

    mutating func add(_ term: [UInt8]) { Sum256.add(term, to: &limbs, at: 0) }

    mutating func subtract(_ term: [UInt8]) { Sum256.subtract(term, from: &limbs, at: 0) }

    /// The 32 bytes, big-endian.
    var bytes: [UInt8] { Sum256.bytes(of: limbs, at: 0) }

    /// Adds a 32-byte term to the four limbs of `limbs` that start at `base`: sums kept
    /// side by side in one array (as `ArchiveDigest`'s 256 ranges are) share this code.
    static func add(_ term: [UInt8], to limbs: inout [UInt64], at base: Int) {
        let value = Sum256.limbs(of: term)
        var carry: UInt64 = 0
        for index in (0..<4).reversed() {
            let (partial, overflow1) = limbs[base + index].addingReportingOverflow(value[index])
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            limbs[base + index] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    static func subtract(_ term: [UInt8], from limbs: inout [UInt64], at base: Int) {
        let value = Sum256.limbs(of: term)
        var borrow: UInt64 = 0
        for index in (0..<4).reversed() {
            let (partial, overflow1) = limbs[base + index].subtractingReportingOverflow(value[index])
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            limbs[base + index] = difference
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    static func bytes(of limbs: [UInt64], at base: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: 32)
        for index in 0..<4 { writer.writeInteger(limbs[base + index]) }
        return writer.bytes
    }

    private static func limbs(of term: [UInt8]) -> [UInt64] {
        var reader = ByteReader(term)
        return (0..<4).map { _ in (try? reader.readInteger(as: UInt64.self)) ?? 0 }
    }
}
