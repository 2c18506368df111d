import QuoteCore

/// Quotes, ids and ops shared by the golden vectors and the round-trip tests.
enum Samples {
    /// The node that made most sample ops.
    static let nodeID: UInt64 = 0x1F2E_3D4C_5B6A_7988
    /// A second node, for ops that arrived by replication.
    static let otherNodeID: UInt64 = 0x0A0B_0C0D_0E0F_1011
    /// 2025-06-28T12:00:00Z, logical 0.
    static let putTimestamp = HybridTimestamp(milliseconds: 1_751_112_000_000, logical: 0)
    /// 2025-06-29T12:00:00Z, logical 3.
    static let deleteTimestamp = HybridTimestamp(milliseconds: 1_751_198_400_000, logical: 3)
    /// 2025-06-28 as days since 1970-01-01.
    static let quoteDay: UInt32 = 20_267

    /// The quote the project was started with, already canonical.
    static let markChen = Quote(
        text: "quelqu'un s'est faufilé dans notre maison et a volé quelque chose",
        speaker: "Mark Chen", date: date(2025, 6, 28), source: "Wired", lang: "fr", tags: ["openai", "talent"])

    /// The same words by the same speaker with other tags: the same id, other metadata.
    static let markChenRetagged = Quote(
        text: "quelqu'un s'est faufilé dans notre maison et a volé quelque chose",
        speaker: "Mark Chen", date: date(2025, 6, 28), source: "Wired", lang: "fr", tags: ["meta", "openai", "talent"])

    /// Its English original, canonical.
    static let markChenEnglish = Quote(
        text: "I feel a visceral feeling right now, as if someone has broken into our home and stolen something.",
        speaker: "Mark Chen", date: date(2025, 6, 28), source: "Wired", lang: "en", tags: ["openai", "talent"])

    /// A quote with a year-only date and no tags.
    static let dijkstra = Quote(
        text: "Simplicity is prerequisite for reliability.", speaker: "Edsger W. Dijkstra",
        date: date(1975), source: "EWD498", lang: "en")

    /// A French quote with accents, and tags a client sent in mixed case.
    static let pascal = Quote(
        text: "Le cœur a ses raisons que la raison ne connaît point.", speaker: "Blaise Pascal",
        date: date(1670), source: "Pensées", lang: "fr", tags: ["philosophie", "Cœur"])

    /// The Pascal quote as a careless client might send it: decomposed accents (NFD), CR LF,
    /// a tab, a no-break space, padded fields, duplicate and uppercase tags.
    static let pascalRaw = Quote(
        text: "\r\n  Le  cœur a ses raisons\tque la raison  \r\nne conna\u{69}\u{302}t point.  \r\n\r\n",
        speaker: "  Blaise\u{A0}Pascal\n", date: date(1670), source: " Pense\u{301}es ", lang: " FR ",
        tags: ["Philosophie", "  philosophie ", "CŒUR"])

    /// What `pascalRaw` becomes.
    static let pascalCanonical = Quote(
        text: "Le cœur a ses raisons que la raison\nne connaît point.", speaker: "Blaise Pascal",
        date: date(1670), source: "Pensées", lang: "fr", tags: ["cœur", "philosophie"])

    /// A quote without a speaker: the server rejects it.
    static let anonymous = Quote(text: "Qui vivra verra.", speaker: "   ", lang: "fr")

    /// The id of a canonical quote.
    static func id(of quote: Quote) -> QuoteID {
        do {
            return try quote.canonicalized().id
        } catch {
            preconditionFailure("sample quote is invalid: \(error)")
        }
    }

    /// A date known to be valid.
    static func date(_ year: Int, _ month: Int? = nil, _ day: Int? = nil) -> QuoteDate {
        do {
            return try QuoteDate(year: year, month: month, day: day)
        } catch {
            preconditionFailure("sample date is invalid: \(error)")
        }
    }

    /// A canonical quote as the archive returns it, put at `putTimestamp` by `nodeID`.
    static func archived(_ quote: Quote) -> ArchivedQuote {
        ArchivedQuote(id: id(of: quote), timestamp: putTimestamp, origin: nodeID, quote: quote)
    }

    /// The put of the Mark Chen quote, first op of the sample log.
    static let markChenPut = SequencedOp(
        sequence: 1, op: .put(markChen, id: id(of: markChen), timestamp: putTimestamp, origin: nodeID))

    /// Its deletion, made on another node, second op of the sample log.
    static let markChenDelete = SequencedOp(
        sequence: 2, op: .delete(id(of: markChen), timestamp: deleteTimestamp, origin: otherNodeID))
}
