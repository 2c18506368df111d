/// Where each field of an encoded quote is: the one parser of the quote layout.
///
/// The layout (PROTOCOL.md "Quote", STORAGE.md "Quote encoding"), in order:
///
/// | field   | bytes                                   |
/// |---------|-----------------------------------------|
/// | text    | `u32` length, UTF-8                     |
/// | speaker | `u32` length, UTF-8                     |
/// | date    | `u16` year, `u8` month, `u8` day; all zero for none |
/// | source  | `u32` length, UTF-8 (empty for none)    |
/// | lang    | `u32` length, UTF-8 (empty for none)    |
/// | tags    | `u32` count, then each `u32` length, UTF-8 |
///
/// `Quote.decode`, recovery's record checks, the arena and every index read quotes through
/// this type; `Quote.encode(into:)` is the one writer and `encodedByteCount` the one size.
/// The ranges index `bytes`, so no String is built until `quote()` asks for one.
public struct QuoteFields {
    /// The memory the ranges index.
    public let bytes: UnsafeRawBufferPointer
    public let text: Range<Int>
    public let speaker: Range<Int>
    /// The date's parts; all zero when the quote is undated, month or day zero when absent.
    public let year: Int
    public let month: Int
    public let day: Int
    public let source: Range<Int>
    public let lang: Range<Int>
    /// How many tags follow, and where the first one's length is.
    public let tagCount: Int
    let firstTag: Int
    /// One past the encoding's last byte.
    public let end: Int

    /// The fewest bytes a quote encodes to: five empty strings, no date, no tags.
    public static let minimumEncodedBytes = 4 + 4 + 4 + 4 + 4 + 4

    /// Reads the fields of a quote already known to be valid (checked at recovery, or
    /// encoded by this process) that starts at `start`; no text or date is re-checked.
    public init(_ bytes: UnsafeRawBufferPointer, at start: Int = 0) {
        var reader = RawByteReader(bytes, range: start..<bytes.count)
        // Only lengths are checked here, and valid bytes always pass them.
        self = try! QuoteFields(&reader, validating: false)
    }

    /// Reads and checks the quote at the reader's position, consuming it: every length is
    /// within `WireLimits` and the bytes left, every string is UTF-8, the date is real.
    public init(validating reader: inout RawByteReader) throws(DecodeError) {
        try self.init(&reader, validating: true)
    }

    private init(_ reader: inout RawByteReader, validating: Bool) throws(DecodeError) {
        bytes = reader.bytes
        func string(maxBytes: Int) throws(DecodeError) -> Range<Int> {
            let lengthOffset = reader.offset
            let range = try reader.readField(maxBytes: maxBytes)
            if validating && !UTF8Validation.isValid(UnsafeRawBufferPointer(rebasing: reader.bytes[range])) {
                throw .invalidUTF8(offset: lengthOffset + 4)
            }
            return range
        }
        text = try string(maxBytes: WireLimits.maxTextBytes)
        speaker = try string(maxBytes: WireLimits.maxSpeakerBytes)
        let dateOffset = reader.offset
        year = Int(try reader.readInteger(as: UInt16.self))
        month = Int(try reader.readInteger(as: UInt8.self))
        day = Int(try reader.readInteger(as: UInt8.self))
        if validating && (year != 0 || month != 0 || day != 0) {
            guard (try? QuoteDate(year: year, month: month == 0 ? nil : month, day: day == 0 ? nil : day)) != nil else {
                throw .invalidValue(offset: dateOffset, field: "date")
            }
        }
        source = try string(maxBytes: WireLimits.maxSourceBytes)
        lang = try string(maxBytes: WireLimits.maxLanguageBytes)
        tagCount = try reader.readCount(maxCount: WireLimits.maxTags, minElementBytes: 4)
        firstTag = reader.index
        for _ in 0..<tagCount { _ = try string(maxBytes: WireLimits.maxTagBytes) }
        end = reader.index
    }

    /// The tags' byte ranges, in order.
    public var tags: Tags { Tags(bytes: bytes, first: firstTag, count: tagCount) }

    /// The tags' byte ranges, read lazily so that walking them allocates nothing.
    public struct Tags: Sequence {
        let bytes: UnsafeRawBufferPointer
        let first: Int
        let count: Int

        public func makeIterator() -> Iterator { Iterator(bytes: bytes, position: first, left: count) }

        public struct Iterator: IteratorProtocol {
            let bytes: UnsafeRawBufferPointer
            var position: Int
            var left: Int

            public mutating func next() -> Range<Int>? {
                guard left > 0 else { return nil }
                left -= 1
                let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                defer { position += 4 + length }
                return (position + 4)..<(position + 4 + length)
            }
        }
    }

    /// The identity bytes, what a quote's id hashes: text and speaker with their lengths.
    public var identity: Range<Int> { (text.lowerBound - 4)..<speaker.upperBound }

    /// The metadata bytes, which may change under one id: date, source, lang and tags.
    public var metadata: Range<Int> { speaker.upperBound..<end }

    /// The bytes of `range`.
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The quote these fields hold.
    public func quote() -> Quote {
        let date = year == 0 && month == 0 && day == 0 ? nil
            : try? QuoteDate(year: year, month: month == 0 ? nil : month, day: day == 0 ? nil : day)
        return Quote(text: string(text), speaker: string(speaker), date: date,
                     source: source.isEmpty ? nil : string(source),
                     lang: lang.isEmpty ? nil : string(lang), tags: tags.map(string))
    }

    /// A String of bytes known to be valid UTF-8, copied straight in: the initializer's own
    /// validation is the only pass over them (`String(decoding:)` took a slower repairing
    /// path, and `String(validating:)` cost most of a speaker search).
    public func string(_ range: Range<Int>) -> String {
        guard !range.isEmpty, let start = bytes.baseAddress else { return "" }
        return String(unsafeUninitializedCapacity: range.count) { buffer in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: start + range.lowerBound, byteCount: range.count)
            return range.count
        }
    }

    /// Where the text of the valid quote encoded at the start of `bytes` is: the first field,
    /// so indexing words need not read the others.
    public static func text(in bytes: UnsafeRawBufferPointer) -> Range<Int> {
        4..<(4 + Int(RawByteReader(bytes).integer(at: 0, as: UInt32.self)))
    }

    /// How many bytes the quote encoded at the start of `bytes` takes, read from its field
    /// lengths alone (the quote is known to be valid).
    public static func encodedLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        QuoteFields(bytes).end
    }
}

extension Quote {
    /// How many bytes `encode(into:)` writes for this quote.
    public var encodedByteCount: Int {
        var count = QuoteFields.minimumEncodedBytes + text.utf8.count + speaker.utf8.count
        count += (source?.utf8.count ?? 0) + (lang?.utf8.count ?? 0)
        for tag in tags { count += 4 + tag.utf8.count }
        return count
    }
}
