/// DIGEST_RANGE_OK: the content digest of the live quotes whose ids start with a prefix,
/// and either the same for each of its 256 one-byte-longer sub-ranges or, when the range
/// is small, its quotes themselves (PROTOCOL.md §6, DIGEST_RANGE).
///
/// Two archives compare by descending only into the ranges whose digests differ, so a
/// handful of differences among a million quotes costs a few round trips, not a copy.
public struct DigestRange: Hashable, Sendable {
    /// One sub-range: prefix ‖ one more byte.
    public struct Part: Hashable, Sendable {
        public var liveCount: UInt64
        /// 32 bytes: the sum of the content terms of its live quotes.
        public var digest: [UInt8]

        public init(liveCount: UInt64, digest: [UInt8]) {
            self.liveCount = liveCount
            self.digest = digest
        }
    }

    /// One live quote of a listed range.
    public struct Entry: Hashable, Sendable {
        public var id: QuoteID
        /// 32 bytes: SHA-256(id ‖ the quote's metadata), its term in the content digest.
        public var term: [UInt8]

        public init(id: QuoteID, term: [UInt8]) {
            self.id = id
            self.term = term
        }
    }

    /// What follows the range's own count and digest.
    public enum Body: Hashable, Sendable {
        /// Form 0: the 256 sub-ranges, in byte order.
        case split([Part])
        /// Form 1: every live quote of the range, in id order.
        case listed([Entry])
    }

    /// Sub-ranges in a split: one per value of the next byte.
    public static let partCount = 256
    /// A range of at most this many live quotes is listed, not split (and one of a prefix
    /// of `QuoteID.byteCount - 1` bytes or more, which holds at most 256).
    public static let maxListedBeforeSplit = 64

    public var liveCount: UInt64
    public var digest: [UInt8]
    public var body: Body

    public init(liveCount: UInt64, digest: [UInt8], body: Body) {
        self.liveCount = liveCount
        self.digest = digest
        self.body = body
    }

    /// Writes `u64 live_count ‖ digest[32] ‖ u8 form ‖ body`.
    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(liveCount)
        writer.writeBytes(digest)
        switch body {
        case let .split(parts):
            writer.writeInteger(UInt8(0))
            for part in parts {
                writer.writeInteger(part.liveCount)
                writer.writeBytes(part.digest)
            }
        case let .listed(entries):
            writer.writeInteger(UInt8(1))
            writer.writeInteger(UInt32(entries.count))
            for entry in entries {
                entry.id.encode(into: &writer)
                writer.writeBytes(entry.term)
            }
        }
    }

    /// Reads what `encode(into:)` wrote.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> DigestRange {
        let liveCount = try reader.readInteger(as: UInt64.self)
        let digest = try reader.readBytes(count: SHA256.digestByteCount)
        let formOffset = reader.offset
        switch try reader.readInteger(as: UInt8.self) {
        case 0:
            var parts: [Part] = []
            parts.reserveCapacity(partCount)
            for _ in 0..<partCount {
                let count = try reader.readInteger(as: UInt64.self)
                parts.append(Part(liveCount: count, digest: try reader.readBytes(count: SHA256.digestByteCount)))
            }
            return DigestRange(liveCount: liveCount, digest: digest, body: .split(parts))
        case 1:
            let count = try reader.readCount(maxCount: WireLimits.maxDigestRangeEntries,
                                             minElementBytes: QuoteID.byteCount + SHA256.digestByteCount)
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let id = try QuoteID.decode(from: &reader)
                entries.append(Entry(id: id, term: try reader.readBytes(count: SHA256.digestByteCount)))
            }
            return DigestRange(liveCount: liveCount, digest: digest, body: .listed(entries))
        default:
            throw .invalidValue(offset: formOffset, field: "digest range form")
        }
    }
}
