import CQuoteSupport
import QuoteCore
#if canImport(Glibc)
import Glibc
#endif

/// One block of quote bytes: the log image read at open, or a block later quotes are
/// appended to. Allocated with `malloc` so the image can be compacted in place and its
/// unused tail given back with `realloc`.
///
/// Bytes below `count` never change once written, and a block never moves after it is
/// filled; the archive's lock orders appends (writer) against reads.
final class ArenaChunk: @unchecked Sendable {
    // @unchecked: mutated only by the archive's writer (or during open) under its lock.
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count: Int
    private(set) var capacity: Int

    /// A block of `capacity` bytes, `count` of them already filled in by the caller.
    init(capacity: Int, count: Int = 0) {
        base = malloc(max(capacity, 1))!
        self.capacity = capacity
        self.count = count
    }

    deinit { free(base) }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    var mutableBytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: capacity) }

    /// Appends `encoded`; the caller checked it fits.
    func append(_ encoded: UnsafeRawBufferPointer) {
        if let source = encoded.baseAddress { (base + count).copyMemory(from: source, byteCount: encoded.count) }
        count += encoded.count
    }

    /// Keeps the first `length` bytes and gives the rest back to the allocator.
    func shrink(to length: Int) {
        count = length
        capacity = length
        if let smaller = realloc(base, max(length, 1)) { base = smaller }
    }
}

/// Holds the encoded bytes of every quote the archive has stored, in large chunks.
///
/// The first chunk is the log image read at open, so recovery copies nothing: an entry
/// just points at its put record's quote bytes; once the log is indexed the quote bytes
/// are moved down over the record headers and the freed tail is released. Later quotes
/// are appended to fresh chunks. Guarded by the archive's lock.
struct QuoteArena {
    private(set) var chunks: [ArenaChunk] = []
    private static let chunkBytes = 8 << 20

    /// A quote's place: chunk index in the high 24 bits, offset in the low 40.
    typealias Location = UInt64

    static func location(chunk: Int, offset: Int) -> Location { UInt64(chunk) << 40 | UInt64(offset) }

    /// Adopts a whole image (the log read at open) as a chunk; returns its index.
    mutating func adopt(_ image: ArenaChunk) -> Int {
        chunks.append(image)
        return chunks.count - 1
    }

    /// Copies a quote's encoding in and returns where it lives.
    mutating func append(_ encoded: [UInt8]) -> Location {
        if chunks.isEmpty || chunks[chunks.count - 1].count + encoded.count > chunks[chunks.count - 1].capacity {
            chunks.append(ArenaChunk(capacity: max(QuoteArena.chunkBytes, encoded.count)))
        }
        let index = chunks.count - 1
        let offset = chunks[index].count
        encoded.withUnsafeBytes { chunks[index].append($0) }
        return QuoteArena.location(chunk: index, offset: offset)
    }

    /// Runs `body` with the bytes from `location` to the end of its chunk.
    func withBytes<T>(at location: Location, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        body(bytes(at: location))
    }

    /// The bytes from `location` to the end of its chunk; valid while the arena lives.
    func bytes(at location: Location) -> UnsafeRawBufferPointer {
        let chunk = chunks[Int(location >> 40)]
        let offset = Int(location & 0xFF_FFFF_FFFF)
        return UnsafeRawBufferPointer(rebasing: chunk.bytes[offset...])
    }

    /// Asks the CPU to start loading the first `byteCount` bytes at `location` (up to the
    /// chunk's end) into its cache: a search about to read a few quotes' bytes then waits
    /// for their memory once rather than once per quote and cache line.
    func prefetch(at location: Location, byteCount: Int = QuoteArena.typicalQuoteBytes) {
        let bytes = bytes(at: location)
        guard let start = bytes.baseAddress else { return }
        var offset = 0
        while offset < min(byteCount, bytes.count) {
            cqs_prefetch(start + offset)
            offset += 64
        }
    }

    /// About what a quote encodes to (quote-bench's are 260 bytes): what `prefetch` loads.
    static let typicalQuoteBytes = 256

    /// Decodes the quote at `location`.
    ///
    /// The bytes were validated when they entered the arena (checked at recovery, encoded by
    /// us otherwise), so they are read in place, not checked again: every search result is
    /// built here.
    func quote(at location: Location) -> Quote {
        QuoteFields(bytes(at: location)).quote()
    }

    /// Bytes held.
    var bytes: Int { chunks.reduce(0) { $0 + $1.count } }
}
