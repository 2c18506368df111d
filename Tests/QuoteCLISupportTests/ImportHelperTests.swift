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

    /// Lines are found in the bytes; the line numbers and the lines are those a split of
    /// the String at line feeds and CR LF gives, whatever surrounds them.
    @Test func linesAreThoseOfASplitAtLineFeedsAndCRLF() {
        let quote = #"{"text":"Straße, 東京 e\u0301","speaker":"Ø"}"#
        let pieces = [quote, "", " ", "\r", "\t\r", "nope", "\u{FEFF}" + quote, quote + "\r", "é"]
        var random = SplitMix64(seed: 5)
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<(Int(random.next() % 6)) {
                text += pieces[Int(random.next() % UInt64(pieces.count))]
                text += ["\n", "\r\n", "\r\r\n", ""][Int(random.next() % 4)]
            }
            if random.next() % 2 == 0 { text = "\u{FEFF}" + text }
            var expected: [(Int, String)] = []
            var number = 0
            for var line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                number += 1
                if number == 1 && line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
                if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
                expected.append((number, String(line)))
            }
            let file = JSONLinesFile(parsing: text)
            let found = (file.entries.map(\.line) + file.failures.map(\.line)).sorted()
            #expect(found == expected.map(\.0), "\(text.debugDescription)")
            let parsed = expected.filter { (try? Quote.parseJSONLine($0.1)) != nil }.map(\.0)
            #expect(file.entries.map(\.line) == parsed, "\(text.debugDescription)")
        }
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
