import QuoteCore

/// For each quote, 64 bits that say which pairs of folded words follow each other in its
/// text, as a one-hash Bloom filter: a pair of words sets one bit chosen by their hashes.
///
/// A phrase search reads the text of every quote that holds all the phrase's words, and
/// most of them do not hold the words in a row (quote-bench: 18 texts read per match at a
/// million quotes, nine tenths of a phrase page's time). A quote whose bits lack one of the
/// phrase's pairs cannot hold the phrase, so its text is not read; one whose bits have them
/// all may, and is checked in its text as before. No false negatives, so no answer changes.
/// Eight bytes a quote: 8 MB at a million.
struct WordPairIndex: SearchIndex {
    /// By ordinal; ordinals past the end (only tombstones so far) have no text, no bits.
    private(set) var signatures: [UInt64] = []

    init() {}

    init(signatures: [UInt64]) {
        self.signatures = signatures
    }

    /// The bits of the quote at `ordinal`.
    @inline(__always)
    func signature(_ ordinal: UInt32) -> UInt64 {
        Int(ordinal) < signatures.count ? signatures[Int(ordinal)] : 0
    }

    /// Whether the quote at `ordinal` has every bit of `required` (a phrase's pairs), so
    /// may hold the phrase; false means its text need not be read.
    @inline(__always)
    func mayHold(_ ordinal: UInt32, _ required: UInt64) -> Bool {
        signature(ordinal) & required == required
    }

    /// Records the bits of the quote just indexed at `ordinal`.
    mutating func record(_ signature: UInt64, ordinal: UInt32) {
        if Int(ordinal) >= signatures.count {
            signatures.append(contentsOf: repeatElement(0, count: Int(ordinal) - signatures.count + 1))
        }
        signatures[Int(ordinal)] = signature
    }

    /// The bit of the word whose `ByteKeyTable.hash` is `second` following the one whose
    /// hash is `first`. The order counts: "home our" sets another bit than "our home".
    @inline(__always)
    static func bit(_ first: UInt64, _ second: UInt64) -> UInt64 {
        var mixed = (first &* 0x9E37_79B9_7F4A_7C15) ^ second
        mixed = (mixed ^ (mixed >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return 1 << (mixed >> 58)
    }

    /// The bits every quote holding these phrases (each a run of folded words) has set.
    static func required(by phrases: [[[UInt8]]]) -> UInt64 {
        var bits: UInt64 = 0
        for phrase in phrases where phrase.count > 1 {
            let hashes = phrase.map { word in word.withUnsafeBytes { ByteKeyTable.hash($0) } }
            for index in 1..<hashes.count { bits |= bit(hashes[index - 1], hashes[index]) }
        }
        return bits
    }

    /// Accumulates one text's bits from its folded words' hashes, in order.
    struct Builder {
        private(set) var signature: UInt64 = 0
        private var previous: UInt64?

        @inline(__always)
        mutating func add(_ hash: UInt64) {
            if let previous { signature |= WordPairIndex.bit(previous, hash) }
            previous = hash
        }
    }

    // Section: u32 count (every ordinal), then that many u64 signatures by ordinal, 0 for
    // those without a text; so a build and a load of the same log save the same bytes.
    func save(into writer: inout ByteWriter, entries: [ArchiveEntry]) {
        writer.writeInteger(UInt32(entries.count))
        for ordinal in 0..<UInt32(entries.count) { writer.writeInteger(signature(ordinal)) }
    }

    init(snapshot reader: inout SnapshotReader, ordinals: UInt32) throws(IndexSnapshot.Rejection) {
        let count = Int(try reader.u32())
        guard count == Int(ordinals) else { throw IndexSnapshot.Rejection(reason: "snapshot word pairs do not cover its ordinals") }
        let raw = RawByteReader(try reader.bytes(count * 8))
        signatures = [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = raw.integer(at: index * 8, as: UInt64.self) }
            initialized = count
        }
    }
}
