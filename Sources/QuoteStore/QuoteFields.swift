/// The byte ranges of an encoded quote's fields, read without building Strings.
///
/// Indexing a million quotes at open would otherwise allocate several Strings each.
struct QuoteFields {
    var text: Range<Int>
    var speaker: Range<Int>
    var year: Int
    var month: Int
    var day: Int
    var source: Range<Int>
    var lang: Range<Int>
    var tags: [Range<Int>]
    /// The length of the whole encoding.
    var end: Int

    /// Parses the encoding at the start of `bytes` (already validated by CRC or by us).
    init(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        func u32() -> Int {
            let value = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4
            return value
        }
        func field() -> Range<Int> {
            let length = u32()
            defer { offset += length }
            return offset..<(offset + length)
        }
        text = field()
        speaker = field()
        year = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        month = Int(bytes[offset + 2])
        day = Int(bytes[offset + 3])
        offset += 4
        source = field()
        lang = field()
        let count = u32()
        var tags: [Range<Int>] = []
        tags.reserveCapacity(count)
        for _ in 0..<count { tags.append(field()) }
        self.tags = tags
        end = offset
    }
}

extension QuoteFields {
    /// The length of the encoding at the start of `bytes`, read from its field lengths alone.
    static func encodedLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        func u32(_ offset: Int) -> Int { Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) }
        var offset = 4 + u32(0)
        offset += 4 + u32(offset)
        offset += 4
        offset += 4 + u32(offset)
        offset += 4 + u32(offset)
        let tagCount = u32(offset)
        offset += 4
        for _ in 0..<tagCount { offset += 4 + u32(offset) }
        return offset
    }
}
