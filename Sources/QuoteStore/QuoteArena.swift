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

    /// Decodes the quote at `location`.
    ///
    /// The bytes were validated when they entered the arena (checked at recovery, encoded by
    /// us otherwise), so this reads the fields in place instead of going through
    /// `Quote.decode`: every search result is built here, and re-validating each string
    /// through the generic `String(validating:)` cost most of a speaker search.
    func quote(at location: Location) -> Quote {
        withBytes(at: location) { bytes in
            let fields = QuoteFields(bytes)
            func string(_ range: Range<Int>) -> String {
                QuoteArena.string(UnsafeRawBufferPointer(rebasing: bytes[range]))
            }
            let date = fields.year == 0 ? nil : try? QuoteDate(year: fields.year, month: fields.month == 0 ? nil : fields.month,
                                                               day: fields.day == 0 ? nil : fields.day)
            return Quote(text: string(fields.text), speaker: string(fields.speaker), date: date,
                         source: fields.source.isEmpty ? nil : string(fields.source),
                         lang: fields.lang.isEmpty ? nil : string(fields.lang), tags: fields.tags.map(string))
        }
    }

    /// A String of bytes known to be valid UTF-8, copied straight in: the initializer's own
    /// validation is the only pass over them (`String(decoding:)` took a slower repairing path).
    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: source, byteCount: bytes.count)
            return bytes.count
        }
    }

    /// Bytes held.
    var bytes: Int { chunks.reduce(0) { $0 + $1.count } }
}

/// Byte scans shared by recovery and result building.
enum TextScan {
    /// Whether `bytes` are well-formed UTF-8 (Unicode 3.9, table 3-7): what
    /// `String(validating:)` accepts, without building the String.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count && bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
                index + offset < count && bytes[index + offset] >= low && bytes[index + offset] <= high
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0:
                guard continuation(1, 0xA0), continuation(2) else { return false }
                index += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continuation(1), continuation(2) else { return false }
                index += 3
            case 0xED:
                guard continuation(1, 0x80, 0x9F), continuation(2) else { return false }
                index += 3
            case 0xF0:
                guard continuation(1, 0x90), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF4:
                guard continuation(1, 0x80, 0x8F), continuation(2), continuation(3) else { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }
}
