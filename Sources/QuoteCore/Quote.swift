/// An attributed quote: what was said, by whom, when, where it was reported, in which language.
///
/// A `Quote` as decoded from a client is raw; `canonicalized()` validates it and puts it in
/// the canonical form its identity is computed from (Protocol/STORAGE.md, "Canonical form").
public struct Quote: Hashable, Sendable {
    /// What was said; required.
    public var text: String
    /// Who said it; required.
    public var speaker: String
    /// When, to the year, month or day; optional.
    public var date: QuoteDate?
    /// Where it was reported: a publication or a URL; optional.
    public var source: String?
    /// The language tag of the text (`fr`, `en`); optional.
    public var lang: String?
    /// Free-form labels, lowercase, sorted and unique once canonical.
    public var tags: [String]

    /// Creates a quote; call `canonicalized()` before storing it.
    public init(text: String, speaker: String, date: QuoteDate? = nil, source: String? = nil,
                lang: String? = nil, tags: [String] = []) {
        self.text = text
        self.speaker = speaker
        self.date = date
        self.source = source
        self.lang = lang
        self.tags = tags
    }

    /// The quote's identity: the first 16 bytes of SHA-256 over its text and speaker, encoded
    /// as the Quote encoding begins (`string text ‖ string speaker`). Date, source, lang and
    /// tags are metadata: they can change under the same id. Meaningful on a canonical quote.
    public var id: QuoteID {
        var writer = ByteWriter(capacity: 8 + text.utf8.count + speaker.utf8.count)
        writer.writeString(text)
        writer.writeString(speaker)
        return QuoteID(bytes: SHA256.hash(writer.bytes))
    }

    /// The id of an encoded quote: its leading text and speaker fields hashed in place.
    public static func id(ofEncoded encoded: [UInt8]) -> QuoteID {
        encoded.withUnsafeBytes { raw in
            var hasher = SHA256()
            hasher.update(UnsafeRawBufferPointer(rebasing: raw[QuoteFields(raw).identity]))
            return QuoteID(bytes: hasher.finalize())
        }
    }

    /// Writes the quote: text, speaker, date, source, lang, tags (see PROTOCOL.md, "Quote").
    public func encode(into writer: inout ByteWriter) {
        writer.writeString(text)
        writer.writeString(speaker)
        QuoteDate.encode(date, into: &writer)
        writer.writeString(source ?? "")
        writer.writeString(lang ?? "")
        writer.writeInteger(UInt32(tags.count))
        for tag in tags { writer.writeString(tag) }
    }

    /// Reads a quote (through `QuoteFields`, the one parser of the layout); field lengths are
    /// bounded by `WireLimits`, not validated further.
    ///
    /// The bounds are generous; `canonicalized()` applies the real limits so the client gets
    /// a specific validation error instead of a decode failure.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> Quote {
        try reader.withRawReader { (raw) throws(DecodeError) in try QuoteFields(validating: &raw).quote() }
    }
}
