import QuoteCore

extension ArchiveState {
    /// DIGEST_RANGE of the ids that start with `prefix` (0 to 16 bytes): their live count
    /// and content digest, and their 256 sub-ranges, or, for at most
    /// `DigestRange.maxListedBeforeSplit` quotes (or a prefix of 15 bytes or more), the
    /// quotes' ids and terms in id order.
    ///
    /// The whole archive is answered from the digest's first-byte sums; a longer prefix
    /// scans the entries (ids only, a few milliseconds a million) and hashes the quotes it
    /// holds, about 1/256 of the archive for one byte. `digest` must be computed.
    func digestRange(prefix: [UInt8]) -> DigestRange {
        let range = IDRange(prefix)
        if prefix.isEmpty, let digest, liveCount > DigestRange.maxListedBeforeSplit {
            return DigestRange(liveCount: UInt64(liveCount), digest: digest.content.bytes, body: .split(digest.firstByteParts))
        }
        var total = Sum256()
        var count: UInt64 = 0
        let splits = prefix.count < QuoteID.byteCount - 1
        var partLimbs = [UInt64](repeating: 0, count: splits ? DigestRange.partCount * 4 : 0)
        var partCounts = [UInt64](repeating: 0, count: splits ? DigestRange.partCount : 0)
        var listed: [DigestRange.Entry]? = []
        for entry in entries where entry.isCurrent && entry.isLive && range.contains(entry.id) {
            guard let location = entry.location else { continue }
            let term = ArchiveDigest.contentTerm(entry.id, quote: arena.bytes(at: location))
            total.add(term)
            count += 1
            if splits {
                let part = range.nextByte(of: entry.id)
                Sum256.add(term, to: &partLimbs, at: part * 4)
                partCounts[part] += 1
                if count > DigestRange.maxListedBeforeSplit { listed = nil }
            }
            listed?.append(DigestRange.Entry(id: entry.id, term: term))
        }
        if let listed {
            return DigestRange(liveCount: count, digest: total.bytes, body: .listed(listed.sorted { $0.id < $1.id }))
        }
        let parts = (0..<DigestRange.partCount).map {
            DigestRange.Part(liveCount: partCounts[$0], digest: Sum256.bytes(of: partLimbs, at: $0 * 4))
        }
        return DigestRange(liveCount: count, digest: total.bytes, body: .split(parts))
    }
}

/// The ids that start with a byte prefix, as masks over an id's two words.
struct IDRange {
    let length: Int
    private let high: UInt64
    private let low: UInt64
    private let highMask: UInt64
    private let lowMask: UInt64

    init(_ prefix: [UInt8]) {
        length = min(prefix.count, QuoteID.byteCount)
        var words: [UInt64] = [0, 0]
        var masks: [UInt64] = [0, 0]
        for (index, byte) in prefix.prefix(QuoteID.byteCount).enumerated() {
            let shift = UInt64(56 - 8 * (index % 8))
            words[index / 8] |= UInt64(byte) << shift
            masks[index / 8] |= 0xFF << shift
        }
        (high, low, highMask, lowMask) = (words[0], words[1], masks[0], masks[1])
    }

    func contains(_ id: QuoteID) -> Bool {
        id.high & highMask == high && id.low & lowMask == low
    }

    /// The byte of `id` just past the prefix; the prefix must be shorter than an id.
    func nextByte(of id: QuoteID) -> Int {
        let word = length < 8 ? id.high : id.low
        return Int((word >> UInt64(56 - 8 * (length % 8))) & 0xFF)
    }
}
