@testable import QuoteCore
import Testing

/// The quick JSON Lines reader against the JSONSerialization path it stands in for: on any
/// line it accepts, that path accepts the line too and reads the same quote.
@Suite struct QuoteJSONScannerTests {
    static let keys = ["text", "speaker", "date", "source", "lang", "tags", "id", "added", "x", ""]
    static let values = [
        #""Someone broke into our home.""#, #""Mark Chen""#, #""2025-06""#, #""1975-06-18""#, #""2025-13""#,
        #""""#, "null", "42", "true", "-1.5e3", #"["ai", "lab"]"#, "[]", #"["a", 1]"#, #"{"a": "b"}"#,
        #""tab\there \"quoted\" back\\slash \/ slash\nline""#, #""caf\u00e9""#, #""\ud83d\ude00""#,
        #""Zuckerberg über Überinvestition, 東京""#, "\"raw\u{1}control\"", #""\x""#, #"[ "spaced" , "tags" ]"#,
    ]

    private func line(_ random: inout SplitMix64) -> String {
        var parts: [String] = []
        if random.next() % 3 != 0 {
            parts.append("\"text\": " + Self.values[Int(random.next() % 3 == 0 ? random.next() % UInt64(Self.values.count) : 0)])
        }
        if random.next() % 4 != 0 { parts.append("\"speaker\": " + Self.values[Int(random.next() % 2 == 0 ? 1 : random.next() % UInt64(Self.values.count))]) }
        for _ in 0..<(Int(random.next() % 4)) {
            let key = Self.keys[Int(random.next() % UInt64(Self.keys.count))]
            parts.append("\"\(key)\"" + [":", " : ", ":\t"][Int(random.next() % 3)] + Self.values[Int(random.next() % UInt64(Self.values.count))])
        }
        var line = [" ", "", "\t"][Int(random.next() % 3)] + "{" + parts.joined(separator: [",", ", ", " ,\n"][Int(random.next() % 3)]) + "}"
        switch random.next() % 12 {
        case 0: line += " x"
        case 1: line.removeLast()
        case 2: line = "[" + line + "]"
        case 3: line += "  "
        default: break
        }
        return line
    }

    @Test func anyLineItReadsTheFullParserReadsAlike() {
        var random = SplitMix64(seed: 41)
        var accepted = 0
        for _ in 0..<20_000 {
            let line = line(&random)
            guard let quick = QuoteJSONScanner.quote(line) else { continue }
            accepted += 1
            #expect((try? Quote.parseWithJSONSerialization(line)) == quick, "\(line)")
        }
        #expect(accepted > 1_000, "the quick path read \(accepted) lines")
    }

    @Test func whatItLeavesIsWordedByTheFullParser() throws {
        #expect(QuoteJSONScanner.quote(#"{"text": "a", "speaker": "b", "tags": ["x"], "id": "ignored"}"#)
            == Quote(text: "a", speaker: "b", tags: ["x"]))
        #expect(QuoteJSONScanner.quote(#"{"text":"a","speaker":"b","source":"","lang":null,"date":""}"#)
            == Quote(text: "a", speaker: "b"))
        for line in [#"{"speaker": "b"}"#, #"{"text": 1, "speaker": "b"}"#, #"{"text": "a", "speaker": "b", "date": "2025-02-30"}"#,
                     #"{"text": "caf\u00e9", "speaker": "b"}"#, #"{"text": "a", "text": "b", "speaker": "c"}"#, "not json"] {
            #expect(QuoteJSONScanner.quote(line) == nil, "\(line)")
        }
        #expect(throws: QuoteJSONError.missingField("text")) { try Quote.parseJSONLine(#"{"speaker": "b"}"#) }
        #expect(try Quote.parseJSONLine(#"{"text": "caf\u00e9", "speaker": "b"}"#).text == "café")
    }
}
