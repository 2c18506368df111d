import Foundation
import QuoteCore
import Testing

@Suite struct QuoteJSONTests {
    static func archived(_ quote: Quote, milliseconds: UInt64 = 951_782_400_123, origin: UInt64 = 0xA1) throws -> ArchivedQuote {
        let canonical = try quote.canonicalized()
        return ArchivedQuote(
            id: canonical.id, timestamp: HybridTimestamp(milliseconds: milliseconds, logical: 3), origin: origin,
            quote: canonical)
    }

    static let full = Quote(
        text: "Stay hungry, stay foolish.", speaker: "Steve Jobs", date: try! QuoteDate(parsing: "2005-06-12"),
        source: "Stanford commencement", lang: "en", tags: ["life", "work"])

    @Test func parsesEveryField() throws {
        let quote = try Quote.parseJSONLine("""
            {"text": "Stay hungry, stay foolish.", "speaker": "Steve Jobs", "date": "2005-06-12",
             "source": "Stanford commencement", "lang": "en", "tags": ["life", "work"]}
            """.replacingOccurrences(of: "\n", with: ""))
        #expect(quote == QuoteJSONTests.full)
    }

    @Test func partialDates() throws {
        #expect(try Quote.parseJSONLine(#"{"text":"t","speaker":"s","date":"2024"}"#).date == QuoteDate(year: 2024))
        #expect(try Quote.parseJSONLine(#"{"text":"t","speaker":"s","date":"2025-06"}"#).date == QuoteDate(year: 2025, month: 6))
    }

    @Test func idUnknownKeysAndServerFieldsAreIgnored() throws {
        let quote = try Quote.parseJSONLine(
            #"{"id":"00000000000000000000000000000000","text":"t","speaker":"s","added":"x","origin":7,"mood":["?"]}"#)
        #expect(quote == Quote(text: "t", speaker: "s"))
    }

    @Test func nullAndEmptyOptionalFieldsAreAbsent() throws {
        let quote = try Quote.parseJSONLine(#"{"text":"t","speaker":"s","date":null,"source":"","lang":null,"tags":null}"#)
        #expect(quote == Quote(text: "t", speaker: "s"))
    }

    @Test(arguments: [
        ("", "not valid JSON: "),
        ("{\"text\": ", "not valid JSON: "),
        ("[1, 2]", "expected a JSON object, found [1,2]"),
        ("\"text\"", "expected a JSON object, found \"text\""),
        (#"{"speaker":"s"}"#, "missing field 'text'"),
        (#"{"text":"t"}"#, "missing field 'speaker'"),
        (#"{"text":"t","speaker":42}"#, "field 'speaker' must be a string, found 42"),
        (#"{"text":null,"speaker":"s"}"#, "field 'text' must be a string, found null"),
        (#"{"text":"t","speaker":"s","source":true}"#, "field 'source' must be a string, found true"),
        (#"{"text":"t","speaker":"s","tags":"ai"}"#, "field 'tags' must be an array of strings, found \"ai\""),
        (#"{"text":"t","speaker":"s","tags":["ai",3]}"#, "field 'tags' must be an array of strings, found [\"ai\",3]"),
        (#"{"text":"t","speaker":"s","date":2024}"#, "field 'date' must be a string, found 2024"),
        (#"{"text":"t","speaker":"s","date":"June 2024"}"#, "field 'date': invalid date: 'June 2024' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (#"{"text":"t","speaker":"s","date":"2025-02-30"}"#, "field 'date': invalid date: 2025-02 has no day 30"),
    ])
    func errorsSayWhatIsWrong(_ line: String, _ message: String) {
        #expect {
            _ = try Quote.parseJSONLine(line)
        } throws: { error in
            String(describing: error).hasPrefix(message)
        }
    }

    @Test func lineHasFixedKeyOrder() throws {
        let archived = try QuoteJSONTests.archived(QuoteJSONTests.full)
        #expect(archived.jsonLine == """
            {"id":"\(archived.id)","text":"Stay hungry, stay foolish.","speaker":"Steve Jobs","date":"2005-06-12",\
            "source":"Stanford commencement","lang":"en","tags":["life","work"],"added":"2000-02-29T00:00:00.123Z",\
            "origin":"00000000000000a1"}
            """)
    }

    @Test func absentFieldsAreLeftOutButTagsStay() throws {
        let archived = try QuoteJSONTests.archived(Quote(text: "t", speaker: "s"), milliseconds: 0, origin: UInt64.max)
        #expect(archived.jsonLine == """
            {"id":"\(archived.id)","text":"t","speaker":"s","tags":[],"added":"1970-01-01T00:00:00.000Z","origin":"ffffffffffffffff"}
            """)
        #expect(Quote(text: "t", speaker: "s").jsonLine == #"{"text":"t","speaker":"s","tags":[]}"#)
    }

    @Test(arguments: [
        (UInt64(0), "1970-01-01T00:00:00.000Z"),
        (951_782_400_123, "2000-02-29T00:00:00.123Z"),
        (1_735_689_599_999, "2024-12-31T23:59:59.999Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func addedIsISO8601InUTC(_ milliseconds: UInt64, _ expected: String) throws {
        let archived = try QuoteJSONTests.archived(Quote(text: "t", speaker: "s"), milliseconds: milliseconds)
        #expect(archived.jsonObject["added"] as? String == expected)
    }

    @Test func escapingSurvivesAStandardParser() throws {
        // Not canonicalized: the writer must cope with any string, tabs and U+2028 included.
        let text = "He said \"no\" \\ then\nleft.\ttab / slash \u{2014} «ok» 😀 \u{2028} end"
        let archived = ArchivedQuote(
            id: QuoteID(high: 1, low: 2), timestamp: HybridTimestamp(rawValue: 0), origin: 0,
            quote: Quote(text: text, speaker: "Ünïcödé \"Q\"", tags: ["a/b"]))
        let line = archived.jsonLine
        #expect(line.contains(#"\"no\" \\ then\nleft.\ttab / slash \#u{2014} «ok» 😀 \u2028 end"#))
        #expect(!line.contains("\n"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(parsed["text"] as? String == text)
        #expect(parsed["speaker"] as? String == "Ünïcödé \"Q\"")
        #expect(parsed["tags"] as? [String] == ["a/b"])
        #expect(Set(parsed.keys) == Set(archived.jsonObject.keys))
    }

    @Test func controlCharactersAreEscapedAsUnicode() {
        // Canonical quotes never hold them, but the writer must not emit raw control bytes.
        let line = Quote(text: "a\u{1}b\u{1F}", speaker: "s").jsonLine
        #expect(line.contains(#"a\u0001b\u001f"#))
        #expect(!line.utf8.contains { $0 < 0x20 })
    }

    @Test func importingAnExportReproducesTheIds() throws {
        let quotes = [
            QuoteJSONTests.full,
            Quote(text: "  Two\r\n\r\nparagraphs  ", speaker: " Anon ", lang: "PT-BR", tags: ["Zed", "alpha", "zed"]),
            Quote(text: "Je pense, donc je suis.", speaker: "René Descartes", date: try QuoteDate(year: 1637), source: "Discours de la méthode"),
        ]
        for quote in quotes {
            let archived = try QuoteJSONTests.archived(quote)
            let reimported = try Quote.parseJSONLine(archived.jsonLine).canonicalized()
            #expect(reimported == archived.quote)
            #expect(reimported.id == archived.id)
            #expect(try Quote(jsonObject: archived.jsonObject).canonicalized().id == archived.id)
            #expect(try Quote.parseJSONLine(archived.quote.jsonLine) == archived.quote)
        }
    }
}
