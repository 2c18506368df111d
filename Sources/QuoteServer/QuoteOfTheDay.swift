import QuoteCore
import QuoteStore

/// RFC 865 Quote of the Day over TCP: each connection gets one quote as text and is closed.
///
/// The quote is the archive's quote of the day (the same one `quotes today` shows).
/// No UDP: a tiny request answered by up to 512 bytes is an amplification vector.
enum QuoteOfTheDay {
    /// RFC 865 asks for quotes under 512 characters.
    static let maxCharacters = 511

    /// The text sent: `"text" — Speaker, date, source` and CR LF, cut to fit.
    static func message(from archive: Archive, day: UInt32) -> String {
        guard let chosen = try? archive.random(SearchFilter(), day: day) else {
            return "The archive is empty: add a quote with `quotes add`.\r\n"
        }
        let quote = chosen.quote
        var attribution = " — " + quote.speaker
        if let date = quote.date { attribution += ", \(date)" }
        if let source = quote.source { attribution += ", " + source }
        let room = maxCharacters - attribution.count - 4
        var text = quote.text.replacingAll("\n", with: " ")
        if text.count > room { text = String(text.prefix(max(0, room - 1))) + "…" }
        return "\"" + text + "\"" + attribution + "\r\n"
    }
}
