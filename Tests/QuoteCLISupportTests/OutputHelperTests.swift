import QuoteCLISupport
import QuoteCore
import Testing

@Suite struct TextWrapperTests {
    @Test func wrapsAtWordsWithinTheWidth() {
        let lines = TextWrapper.wrap("the quick brown fox jumps over the lazy dog", width: 15)
        #expect(lines == ["the quick brown", "fox jumps over", "the lazy dog"])
        #expect(lines.allSatisfy { $0.count <= 15 })
    }

    @Test func prefixesCountTowardTheWidth() {
        let lines = TextWrapper.wrap("aaa bbb ccc", width: 8, firstPrefix: "> ", continuationPrefix: "  ")
        #expect(lines == ["> aaa", "  bbb", "  ccc"])
    }

    @Test func keepsLineBreaksAndFoldsSpaces() {
        #expect(TextWrapper.wrap("roses  are\tred\n\nviolets", width: 40) == ["roses are red", "", "violets"])
    }

    @Test func aLongWordStaysWhole() {
        #expect(TextWrapper.wrap("see https://example.com/a/very/long/path now", width: 10)
            == ["see", "https://example.com/a/very/long/path", "now"])
    }

    @Test func wideCharactersTakeTwoColumns() {
        #expect(TextWrapper.columns("日本語") == 6)
        #expect(TextWrapper.columns("café") == 4)
        #expect(TextWrapper.wrap("日本 語語 本本", width: 9) == ["日本 語語", "本本"])
    }
}

@Suite struct QuoteFormatterTests {
    static func archived(_ quote: Quote) throws -> ArchivedQuote {
        let canonical = try quote.canonicalized()
        return ArchivedQuote(id: canonical.id, timestamp: HybridTimestamp(rawValue: 0), origin: 1, quote: canonical)
    }

    @Test func quoteInMarksThenAttributionWithShortID() throws {
        let archived = try QuoteFormatterTests.archived(Quote(
            text: "Stay hungry, stay foolish.", speaker: "Steve Jobs", date: QuoteDate(year: 2005, month: 6, day: 12),
            source: "Stanford commencement", lang: "en", tags: ["work", "life"]))
        let id = archived.id.short(8)
        #expect(QuoteFormatter.lines(archived, width: 80) == [
            "\u{201C}Stay hungry, stay foolish.\u{201D}",
            "\u{2014} Steve Jobs, 2005-06-12, Stanford commencement [en] #life #work  (\(id))",
        ])
        #expect(QuoteFormatter.attribution(archived) == "\u{2014} Steve Jobs, 2005-06-12, Stanford commencement [en] #life #work  (\(id))")
    }

    @Test func onlyTheSpeakerWhenThatIsAllThereIs() throws {
        let archived = try QuoteFormatterTests.archived(Quote(text: "Hi.", speaker: "Anon"))
        #expect(QuoteFormatter.attribution(archived) == "\u{2014} Anon  (\(archived.id.short(8)))")
    }

    @Test func textWrapsUnderTheOpeningMarkAndTheIDKeepsItsGap() throws {
        let archived = try QuoteFormatterTests.archived(Quote(
            text: "one two three four five six", speaker: "Somebody Long", source: "A Source"))
        let id = archived.id.short(8)
        #expect(QuoteFormatter.lines(archived, width: 20) == [
            "\u{201C}one two three four", " five six\u{201D}", "\u{2014} Somebody Long, A", "  Source  (\(id))",
        ])
        #expect(QuoteFormatter.lines(archived, width: 25).suffix(2) == ["\u{2014} Somebody Long, A Source", "  (\(id))"])
    }
}

@Suite struct ProgressRateTests {
    @Test func rateAndTimeLeftFollowTheBar() {
        #expect(ProgressBar.rateAndETA(completed: 500, total: 1_500, elapsedSeconds: 2, unit: "quotes") == "  250 quotes/s  ETA 0:04")
        #expect(ProgressBar.rateAndETA(completed: 100, total: 100, elapsedSeconds: 1, unit: "quotes") == "  100 quotes/s")
        #expect(ProgressBar.rateAndETA(completed: 0, total: 100, elapsedSeconds: 1, unit: "quotes").isEmpty)
        #expect(ProgressBar.rateAndETA(completed: 1, total: 181, elapsedSeconds: 1, unit: "ops") == "  1 ops/s  ETA 3:00")
    }
}

@Suite struct TableFormatterTests {
    @Test func namesPadAndEveryValueStartsInOneColumn() {
        #expect(TableFormatter.lines([("quotes.live", "1204"), ("server.version", "quoted/0.1.0"), ("ops.add", "7")]) == [
            "quotes.live     1204",
            "server.version  quoted/0.1.0",
            "ops.add         7",
        ])
    }

    @Test func emptyTableHasNoLines() {
        #expect(TableFormatter.lines([]).isEmpty)
    }
}

@Suite struct ProgressBarTests {
    @Test(arguments: [
        (0, 10, "[          ]   0%  0/10"),
        (5, 10, "[#####     ]  50%  5/10"),
        (999, 1000, "[######### ]  99%  999/1000"),
        (10, 10, "[##########] 100%  10/10"),
        (12, 10, "[##########] 100%  10/10"),
        (0, 0, "[##########] 100%  0/0"),
    ])
    func rendersFractionPercentAndCounts(_ completed: Int, _ total: Int, _ expected: String) {
        #expect(ProgressBar.render(completed: completed, total: total, width: 10) == expected)
    }
}
