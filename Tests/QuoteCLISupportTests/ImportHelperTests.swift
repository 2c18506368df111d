import QuoteCLISupport
import QuoteCore
import Testing

@Suite struct JSONLinesFileTests {
    @Test func quotesAndFailuresKeepTheirLineNumbers() {
        let text = """
            {"text":"one","speaker":"A"}

            not json
            {"text":"two","speaker":"B","tags":["x"]}
            {"speaker":"C"}
            """
        let file = JSONLinesFile(parsing: text)
        #expect(file.entries.map(\.line) == [1, 4])
        #expect(file.entries.map(\.quote.text) == ["one", "two"])
        #expect(file.failures.map(\.line) == [3, 5])
        #expect(file.failures.last?.error == .missingField("text"))
    }

    @Test func crLFByteOrderMarkAndBlankLinesAreAccepted() {
        let file = JSONLinesFile(parsing: "\u{FEFF}{\"text\":\"one\",\"speaker\":\"A\"}\r\n \t\r\n{\"text\":\"two\",\"speaker\":\"B\"}\r\n")
        #expect(file.failures.isEmpty)
        #expect(file.entries.map(\.line) == [1, 3])
    }
}

@Suite struct ImportReportTests {
    @Test func summaryCountsEveryOutcome() {
        var report = ImportReport()
        report.record(.stored(QuoteID(high: 1, low: 1), new: true), line: 1)
        report.record(.stored(QuoteID(high: 2, low: 2), new: false), line: 2)
        report.record(.rejected(.missingSpeaker, "the speaker is missing"), line: 7)
        report.reject(line: 3, reason: "not valid JSON: Unexpected end of file during JSON parse.")
        report.record(.updated(QuoteID(high: 3, low: 3)), line: 8)
        report.record(.differs(QuoteID(high: 0x0123_4567_89AB_CDEF, low: 4)), line: 5)
        #expect(report.total == 6)
        #expect(report.stored == 3)
        #expect(report.lines == [
            "stored 3: 1 added, 1 updated, 1 already present; 1 differs; 2 rejected",
            "  line 3: not valid JSON: Unexpected end of file during JSON parse.",
            "  line 5: differs: 01234567 is stored with other metadata (date, source, lang or tags); --replace updates it",
            "  line 7: the speaker is missing [missing_speaker]",
        ])
    }

    @Test func fortuneReportsEntriesAndSkips() {
        var report = ImportReport(skippedWithoutAttribution: 1)
        report.record(.rejected(.controlCharacter, "the text holds a control character"), line: 140, entry: 12)
        #expect(report.lines == [
            "stored 0: 0 added, 0 updated, 0 already present; 0 differ; 1 rejected; 1 entry skipped without attribution",
            "  entry 12 (line 140): the text holds a control character [control_character]",
        ])
        #expect(ImportReport(skippedWithoutAttribution: 3).summary
            == "stored 0: 0 added, 0 updated, 0 already present; 0 differ; 0 rejected; 3 entries skipped without attribution")
    }

    @Test func longListsStopAfterTheLimitAndSayHowManyMore() {
        var report = ImportReport()
        for line in 1...25 { report.reject(line: line, file: "wisdom", reason: "bad") }
        let lines = report.lines(limit: 20)
        #expect(lines.count == 22)
        #expect(lines[1] == "  wisdom: line 1: bad")
        #expect(lines.last == "  … and 5 more (--json lists every one)")
        #expect(report.lines.count == 26)
    }

    @Test func mergingAddsTheCountsOfEachFile() {
        var total = ImportReport(skippedWithoutAttribution: 0)
        var first = ImportReport(skippedWithoutAttribution: 2)
        first.record(.stored(QuoteID(high: 1, low: 1), new: true), line: 1, file: "a")
        var second = ImportReport(skippedWithoutAttribution: 3)
        second.record(.rejected(.emptyText, "the text is empty"), line: 4, file: "b")
        total.merge(first)
        total.merge(second)
        #expect(total.summary == "stored 1: 1 added, 0 updated, 0 already present; 0 differ; 1 rejected; 5 entries skipped without attribution")
        #expect(total.lines.last == "  b: line 4: the text is empty [empty_text]")
    }
}
