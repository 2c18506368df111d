import QuoteCore
import Testing

@Suite struct QuoteValidationTests {
    static let valid = Quote(text: "Simplicity is prerequisite for reliability.", speaker: "Edsger W. Dijkstra")

    static func with(_ change: (inout Quote) -> Void) -> Quote {
        var quote = valid
        change(&quote)
        return quote
    }

    @Test func emptyTextIsRejected() {
        #expect(throws: ValidationError.emptyText) { try QuoteValidationTests.with { $0.text = "" }.canonicalized() }
    }

    @Test func whitespaceOnlyTextIsRejectedAsEmpty() {
        #expect(throws: ValidationError.emptyText) {
            try QuoteValidationTests.with { $0.text = " \t\r\n \u{A0}\n" }.canonicalized()
        }
    }

    @Test func textOf65536BytesIsAcceptedAndOneMoreIsRejected() throws {
        _ = try QuoteValidationTests.with { $0.text = String(repeating: "a", count: 65_536) }.canonicalized()
        #expect(throws: ValidationError.textTooLong(bytes: 65_537)) {
            try QuoteValidationTests.with { $0.text = String(repeating: "a", count: 65_537) }.canonicalized()
        }
    }

    @Test func textLimitCountsBytesAfterCanonicalization() throws {
        let padded = "  " + String(repeating: "é", count: 32_768) + "  \n\n"
        let canonical = try QuoteValidationTests.with { $0.text = padded }.canonicalized()
        #expect(canonical.text.utf8.count == 65_536)
    }

    @Test(arguments: ["", "   ", "\n\t"])
    func blankSpeakerIsRejectedAsMissing(_ speaker: String) {
        #expect(throws: ValidationError.missingSpeaker) { try QuoteValidationTests.with { $0.speaker = speaker }.canonicalized() }
    }

    @Test func speakerOf256BytesIsAcceptedAnd257IsRejected() throws {
        _ = try QuoteValidationTests.with { $0.speaker = String(repeating: "s", count: 256) }.canonicalized()
        #expect(throws: ValidationError.fieldTooLong(field: "speaker", bytes: 257, limit: 256)) {
            try QuoteValidationTests.with { $0.speaker = String(repeating: "s", count: 257) }.canonicalized()
        }
    }

    @Test func sourceOf1024BytesIsAcceptedAnd1025IsRejected() throws {
        _ = try QuoteValidationTests.with { $0.source = String(repeating: "s", count: 1_024) }.canonicalized()
        #expect(throws: ValidationError.fieldTooLong(field: "source", bytes: 1_025, limit: 1_024)) {
            try QuoteValidationTests.with { $0.source = String(repeating: "s", count: 1_025) }.canonicalized()
        }
    }

    @Test func thirtyTwoTagsAreAcceptedAndThirtyThreeRejected() throws {
        _ = try QuoteValidationTests.with { $0.tags = (1...32).map { "t\($0)" } }.canonicalized()
        #expect(throws: ValidationError.tooManyTags(count: 33)) {
            try QuoteValidationTests.with { $0.tags = (1...33).map { "t\($0)" } }.canonicalized()
        }
    }

    @Test func tagLimitCountsTagsAfterDuplicatesMerge() throws {
        let canonical = try QuoteValidationTests.with { $0.tags = (1...32).map { "t\($0)" } + ["T1", " t2 "] }.canonicalized()
        #expect(canonical.tags.count == 32)
    }

    @Test(arguments: ["", "   "])
    func emptyTagIsRejected(_ tag: String) {
        #expect(throws: ValidationError.invalidTag("an empty tag")) {
            try QuoteValidationTests.with { $0.tags = ["ok", tag] }.canonicalized()
        }
    }

    @Test func tagOver64BytesIsRejected() throws {
        _ = try QuoteValidationTests.with { $0.tags = [String(repeating: "t", count: 64)] }.canonicalized()
        #expect(throws: ValidationError.self) {
            try QuoteValidationTests.with { $0.tags = [String(repeating: "t", count: 65)] }.canonicalized()
        }
        #expect(ValidationError.invalidTag("").code == .invalidTag)
    }

    @Test(arguments: ["e", "english", "en_US", "e1", "en--us", "en-", "-en", "en-abcdefghi", "en-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd"])
    func malformedLanguageTagIsRejected(_ lang: String) {
        #expect(throws: ValidationError.invalidLanguage(lang)) { try QuoteValidationTests.with { $0.lang = lang }.canonicalized() }
    }

    @Test(arguments: [("fr", "fr"), ("EN", "en"), (" pt-BR ", "pt-br"), ("zh-Hant-TW", "zh-hant-tw"), ("gsw", "gsw")])
    func languageTagIsLowercased(_ lang: String, _ canonical: String) throws {
        #expect(try QuoteValidationTests.with { $0.lang = lang }.canonicalized().lang == canonical)
    }

    @Test(arguments: ["\u{0}", "\u{7}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}"])
    func controlCharacterIsRejectedInEveryField(_ control: String) {
        #expect(throws: ValidationError.controlCharacter(field: "text")) {
            try QuoteValidationTests.with { $0.text = "a" + control + "b" }.canonicalized()
        }
        #expect(throws: ValidationError.controlCharacter(field: "speaker")) {
            try QuoteValidationTests.with { $0.speaker = "a" + control + "b" }.canonicalized()
        }
        #expect(throws: ValidationError.controlCharacter(field: "source")) {
            try QuoteValidationTests.with { $0.source = "a" + control + "b" }.canonicalized()
        }
        #expect(throws: ValidationError.controlCharacter(field: "tag")) {
            try QuoteValidationTests.with { $0.tags = ["a" + control + "b"] }.canonicalized()
        }
    }

    @Test(arguments: ["2025-02-30", "2023-02-29", "2025-13", "2025-13-01", "2025-00", "2025-04-31", "0000"])
    func impossibleDateIsRejected(_ text: String) {
        #expect(throws: ValidationError.self) { try QuoteDate(parsing: text) }
    }

    @Test(arguments: ["2025-6", "25", "2025-06-1", "2025/06/28", "2025-06-28-01", "", "abcd", "+202", "2025-", "٢٠٢٥"])
    func malformedDateIsRejected(_ text: String) {
        #expect(throws: ValidationError.invalidDate("'\(text)' is not YYYY, YYYY-MM or YYYY-MM-DD")) { try QuoteDate(parsing: text) }
    }

    @Test func leapDayExistsOnlyInLeapYears() throws {
        #expect(try QuoteDate(parsing: "2024-02-29").day == 29)
        #expect(try QuoteDate(parsing: "2000-02-29").day == 29)
        #expect(throws: ValidationError.self) { try QuoteDate(parsing: "1900-02-29") }
        #expect(throws: ValidationError.invalidDate("2023-02 has no day 29")) { try QuoteDate(parsing: "2023-02-29") }
    }

    @Test func eachValidationErrorMapsToItsWireCode() {
        let cases: [(ValidationError, UInt16)] = [
            (.emptyText, 300), (.textTooLong(bytes: 0), 301), (.invalidUTF8(field: "text"), 302), (.missingSpeaker, 303),
            (.invalidDate(""), 304), (.fieldTooLong(field: "", bytes: 0, limit: 0), 305), (.tooManyTags(count: 0), 306),
            (.invalidTag(""), 307), (.invalidLanguage(""), 308), (.controlCharacter(field: ""), 309),
        ]
        for (error, code) in cases { #expect(error.code.rawValue == code, "\(error)") }
    }
}
