import QuoteCore

/// Renders archived quotes for people reading a terminal:
///
/// ```text
/// “Stay hungry, stay foolish.”
/// — Steve Jobs, 2005-06-12, Stanford commencement [en] #life  (3f2a9c1b)
/// ```
///
/// The text is wrapped to the width inside typographic quotation marks, continuation lines
/// indented by one column so the text stays aligned after the opening mark; the attribution
/// wraps with a two-column indent. The id is shortened to 8 characters, which `quotes get`
/// accepts as a prefix.
public enum QuoteFormatter {
    /// The quote's text and attribution, one element per output line.
    public static func lines(_ archived: ArchivedQuote, width: Int) -> [String] {
        var text = TextWrapper.wrap(archived.quote.text, width: width, firstPrefix: "\u{201C}", continuationPrefix: " ")
        text[text.count - 1] += "\u{201D}"
        // The id keeps its two-space gap, so it is wrapped apart from the words before it.
        var attribution = TextWrapper.wrap(attributionWithoutID(archived), width: width, continuationPrefix: "  ")
        let id = "(\(archived.id.short(8)))"
        if TextWrapper.columns(attribution[attribution.count - 1]) + 2 + id.count <= width {
            attribution[attribution.count - 1] += "  " + id
        } else {
            attribution.append("  " + id)
        }
        return text + attribution
    }

    /// `— Speaker, date, source [lang] #tag #tag  (id8)`, leaving out what the quote lacks.
    public static func attribution(_ archived: ArchivedQuote) -> String {
        attributionWithoutID(archived) + "  (\(archived.id.short(8)))"
    }

    static func attributionWithoutID(_ archived: ArchivedQuote) -> String {
        let quote = archived.quote
        var line = "\u{2014} " + ([quote.speaker, quote.date?.description, quote.source].compactMap { $0 }.joined(separator: ", "))
        if let lang = quote.lang { line += " [\(lang)]" }
        for tag in quote.tags { line += " #" + tag }
        return line
    }
}
