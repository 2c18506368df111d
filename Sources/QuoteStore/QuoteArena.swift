import QuoteCore

/// Holds the encoded bytes of every quote the archive has stored, in large chunks.
///
/// The first chunk is the log image read at open, so recovery copies nothing: an entry
/// just points at its put record's quote bytes. Later quotes are appended to fresh chunks.
/// Guarded by the archive's lock.
struct QuoteArena {
    private(set) var chunks: [[UInt8]] = []
    private static let chunkBytes = 8 << 20

    /// A quote's place: chunk index in the high 24 bits, offset in the low 40.
    typealias Location = UInt64

    static func location(chunk: Int, offset: Int) -> Location { UInt64(chunk) << 40 | UInt64(offset) }

    /// Adopts a whole image (the log read at open) as a chunk; returns its index.
    mutating func adopt(_ image: [UInt8]) -> Int {
        chunks.append(image)
        return chunks.count - 1
    }

    /// Copies a quote's encoding in and returns where it lives.
    mutating func append(_ encoded: [UInt8]) -> Location {
        if chunks.isEmpty || chunks[chunks.count - 1].count + encoded.count > chunks[chunks.count - 1].capacity {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(max(QuoteArena.chunkBytes, encoded.count))
            chunks.append(chunk)
        }
        let index = chunks.count - 1
        let offset = chunks[index].count
        chunks[index].append(contentsOf: encoded)
        return QuoteArena.location(chunk: index, offset: offset)
    }

    /// Runs `body` with the bytes from `location` to the end of its chunk.
    func withBytes<T>(at location: Location, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let chunk = Int(location >> 40)
        let offset = Int(location & 0xFF_FFFF_FFFF)
        return chunks[chunk].withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
    }

    /// The chunk holding `location` and the offset in it.
    func chunk(at location: Location) -> ([UInt8], Int) {
        (chunks[Int(location >> 40)], Int(location & 0xFF_FFFF_FFFF))
    }

    /// Decodes the quote at `location`.
    ///
    /// The bytes were validated when they entered the arena (decoded at recovery, encoded by
    /// us otherwise), so this reads the fields in place instead of going through
    /// `Quote.decode`: every search result is built here, and re-validating each string
    /// through the generic `String(validating:)` cost most of a speaker search.
    func quote(at location: Location) -> Quote {
        withBytes(at: location) { bytes in
            let fields = QuoteFields(bytes)
            func string(_ range: Range<Int>) -> String {
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            let date = fields.year == 0 ? nil : try? QuoteDate(year: fields.year, month: fields.month == 0 ? nil : fields.month,
                                                               day: fields.day == 0 ? nil : fields.day)
            return Quote(text: string(fields.text), speaker: string(fields.speaker), date: date,
                         source: fields.source.isEmpty ? nil : string(fields.source),
                         lang: fields.lang.isEmpty ? nil : string(fields.lang), tags: fields.tags.map(string))
        }
    }

    /// Bytes held.
    var bytes: Int { chunks.reduce(0) { $0 + $1.count } }
}
