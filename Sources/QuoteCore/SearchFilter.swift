/// The filters of SEARCH and RANDOM, combined with AND; an empty field filters nothing.
public struct SearchFilter: Hashable, Sendable {
    /// A speaker's whole name or any whole word of it, case- and diacritic-insensitive.
    public var speaker: String
    /// Quotes whose date overlaps `from` or later.
    public var from: QuoteDate?
    /// Quotes whose date overlaps `to` or earlier.
    public var to: QuoteDate?
    /// Words that must all appear in the text, case- and diacritic-insensitive.
    public var words: String
    /// Tags that must all be on the quote.
    public var tags: [String]
    /// The language tag the quote must have.
    public var lang: String

    /// Creates a filter; with no arguments it matches every quote.
    public init(speaker: String = "", from: QuoteDate? = nil, to: QuoteDate? = nil, words: String = "",
                tags: [String] = [], lang: String = "") {
        self.speaker = speaker
        self.from = from
        self.to = to
        self.words = words
        self.tags = tags
        self.lang = lang
    }

    /// Whether the filter has no condition at all.
    public var isEmpty: Bool {
        speaker.isEmpty && from == nil && to == nil && words.isEmpty && tags.isEmpty && lang.isEmpty
    }

    /// Writes `speaker, from, to, words, tags, lang`.
    public func encode(into writer: inout ByteWriter) {
        writer.writeString(speaker)
        QuoteDate.encode(from, into: &writer)
        QuoteDate.encode(to, into: &writer)
        writer.writeString(words)
        writer.writeInteger(UInt32(tags.count))
        for tag in tags { writer.writeString(tag) }
        writer.writeString(lang)
    }

    /// Reads what `encode(into:)` wrote.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> SearchFilter {
        let speaker = try reader.readString(maxBytes: WireLimits.maxFilterSpeakerBytes)
        let from = try QuoteDate.decode(from: &reader)
        let to = try QuoteDate.decode(from: &reader)
        let words = try reader.readString(maxBytes: WireLimits.maxFilterWordsBytes)
        let count = try reader.readCount(maxCount: WireLimits.maxFilterTags, minElementBytes: 4)
        var tags: [String] = []
        for _ in 0..<count { tags.append(try reader.readString(maxBytes: WireLimits.maxFilterTagBytes)) }
        let lang = try reader.readString(maxBytes: WireLimits.maxFilterLanguageBytes)
        return SearchFilter(speaker: speaker, from: from, to: to, words: words, tags: tags, lang: lang)
    }
}
