import Foundation
import QuoteCLISupport
import QuoteCore
import Testing

@Suite struct FortuneFileTests {
    static let sample = """
        Ask not what your country can do for you.
        \t\t-- John F. Kennedy, Inaugural Address, 1961
        %
        Q:\tWhy did the chicken cross the road?
        A:\tTo get to the other side.
        %
        Whenever you find yourself on the side of the majority, it is time
        to pause and reflect.
        \t\t\u{2014} Mark Twain
        %

        """

    @Test func attributedEntriesBecomeQuotesAndOthersAreCounted() throws {
        let file = FortuneFile(parsing: FortuneFileTests.sample)
        #expect(file.entryCount == 3)
        #expect(file.unattributedCount == 1)
        #expect(file.entries.map(\.number) == [1, 3])
        #expect(file.entries.map(\.line) == [1, 7])
        let kennedy = file.quotes[0]
        #expect(kennedy.text == "Ask not what your country can do for you.")
        #expect(kennedy.speaker == "John F. Kennedy")
        #expect(kennedy.source == "Inaugural Address")
        #expect(kennedy.date == (try QuoteDate(year: 1961)))
        #expect(file.quotes[1].text == "Whenever you find yourself on the side of the majority, it is time\nto pause and reflect.")
        #expect(file.quotes[1].speaker == "Mark Twain")
    }

    @Test func crLFLineEndsParseLikeLF() {
        let crlf = FortuneFileTests.sample.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(FortuneFile(parsing: crlf) == FortuneFile(parsing: FortuneFileTests.sample))
    }

    @Test func leadingTrailingAndRepeatedSeparatorsMakeNoEntries() {
        let file = FortuneFile(parsing: "%\n%\nText.\n\t-- Someone\n%\n%\n\n%\n")
        #expect(file.entryCount == 1)
        #expect(file.unattributedCount == 0)
        #expect(file.entries.first?.line == 3)
        #expect(file.entries.first?.number == 1)
    }

    @Test func fileWithoutTrailingSeparatorKeepsItsLastEntry() {
        let file = FortuneFile(parsing: "One.\n-- A\n%\nTwo.\n-- B")
        #expect(file.quotes.map(\.speaker) == ["A", "B"])
    }

    @Test func separatorMayCarryStraySpacesButNotOtherText() {
        let file = FortuneFile(parsing: "One.\n-- A\n % \nTwo.\n-- B\n%%\nThree.\n-- C\n")
        #expect(file.quotes.map(\.speaker) == ["A", "C"])
        #expect(file.quotes[1].text == "Two.\n-- B\n%%\nThree.")
    }

    @Test(arguments: ["-- Name", "\t\t-- Name", "    --Name", "\u{2014} Name", "\u{2014}Name", "\t\u{2015} Name"])
    func attributionMarkers(_ line: String) {
        let file = FortuneFile(parsing: "Words.\n\(line)\n")
        #expect(file.quotes.first?.speaker == "Name")
    }

    @Test(arguments: ["---", "------ Name", "--> Name", "--", "- Name", "Name --"])
    func linesThatAreNotAttributions(_ line: String) {
        let file = FortuneFile(parsing: "Words.\n\(line)\n")
        #expect(file.entries.isEmpty)
        #expect(file.unattributedCount == 1)
    }

    @Test func attributionAloneIsNotAQuote() {
        let file = FortuneFile(parsing: "\t\t-- Nobody in particular\n%\n")
        #expect(file.entries.isEmpty)
        #expect(file.unattributedCount == 1)
    }

    @Test func attributionContinuesOnIndentedLines() throws {
        let text = """
            Words.
            \t\t-- Douglas Coupland, "Generation X: Tales for an Accelerated
            \t\t   Culture"
            """
        let quote = try #require(FortuneFile(parsing: text).quotes.first)
        #expect(quote.speaker == "Douglas Coupland")
        #expect(quote.source == "Generation X: Tales for an Accelerated Culture")
    }

    @Test func unindentedAttributionContinuesOnAnyLine() throws {
        let text = """
            Words.
            -- B. Hebbard, "A Penetration Analysis",
            Operating Systems Review, June 1980
            """
        let quote = try #require(FortuneFile(parsing: text).quotes.first)
        #expect(quote.speaker == "B. Hebbard")
        #expect(quote.date?.description == "1980-06")
        #expect(quote.source == "\"A Penetration Analysis\", Operating Systems Review")
    }

    @Test func editorsNoteAfterTheAttributionIsDropped() throws {
        let text = """
            Great minds think alike.
            \t\t-- Gore Vidal
            \t\t[Great minds think alike?  Ed.]
            """
        let quote = try #require(FortuneFile(parsing: text).quotes.first)
        #expect(quote.text == "Great minds think alike.")
        #expect(quote.speaker == "Gore Vidal")
        #expect(quote.source == nil)
    }

    @Test func textAfterTheAttributionMeansItWasNotOne() {
        let text = """
            Candy is dandy.
            \t\t-- Ogden Nash, "Reflections on Ice-Breaking"
            Fortune updates the great quotes: #53.
            \tCandy is dandy; but liquor is quicker.
            """
        #expect(FortuneFile(parsing: text).unattributedCount == 1)
    }

    @Test func dialogueKeepsItsDashesAndTheLastDashLineAttributes() throws {
        let text = """
            -- Are you a doctor?
            -- No, but I play one on TV.
            \t\t-- Chris Robinson
            """
        let quote = try #require(FortuneFile(parsing: text).quotes.first)
        #expect(quote.text == "-- Are you a doctor?\n-- No, but I play one on TV.")
        #expect(quote.speaker == "Chris Robinson")
    }

    @Test func backspacesOverstrikeAndBellsVanish() throws {
        let text = "This is the ____\u{8}\u{8}\u{8}\u{8}LAST time, _\u{8}I mean it.\u{7}\n\t-- Someone\n"
        let quote = try #require(FortuneFile(parsing: text).quotes.first)
        #expect(quote.text == "This is the LAST time, I mean it.")
        #expect((try? quote.canonicalized()) != nil)
    }

    @Test func blankLinesAroundAnEntryAreTrimmedAndLinesPointAtItsText() throws {
        let file = FortuneFile(parsing: "%\n\n\n  Indented words.\n\n\t-- Someone\n\n%\n")
        let entry = try #require(file.entries.first)
        #expect(entry.line == 4)
        #expect(entry.quote.text == "  Indented words.")
    }

    /// Three dashes (es/asimov), a note line after the attribution (de/zitate), and several
    /// attributed quotes in one entry, each shaped as in Debian's files.
    @Test func threeDashesNotesAfterTheAttributionAndSeveralQuotesInOneEntry() throws {
        let text = """
            La violencia es el último recurso del incompetente.
                                   --- Isaac Asimov
            %
            Kümmert Euch um Euren eigenen Kram.
            \t\t-- Giulio Andreotti
            als Antwort auf die Frage, was auf seinem Grabstein stehen solle.
            %
            I have not failed.
            \t\t-- Thomas Edison
            Genius is one percent inspiration.
            \t\t-- Thomas Edison, 1903
            %
            -- Dialogue, not an attribution?
            -- Yes: the last line names the speaker.
            \t\t-- Someone
            %
            ------------------------------
            A rule above is no attribution.
            %

            """
        let file = FortuneFile(parsing: text)
        #expect(file.entryCount == 5 && file.unattributedCount == 1)
        let quotes = file.quotes
        #expect(quotes.map(\.speaker) == ["Isaac Asimov", "Giulio Andreotti", "Thomas Edison", "Thomas Edison", "Someone"])
        #expect(quotes[1].source == "als Antwort auf die Frage, was auf seinem Grabstein stehen solle.")
        #expect(quotes[1].text == "Kümmert Euch um Euren eigenen Kram.")
        #expect(quotes[2].text == "I have not failed." && quotes[3].text == "Genius is one percent inspiration.")
        #expect(quotes[3].date?.description == "1903")
        #expect(file.entries[2].number == file.entries[3].number && file.entries[3].line == 10)
        #expect(quotes[4].text == "-- Dialogue, not an attribution?\n-- Yes: the last line names the speaker.")
    }

    /// Debian's `fortunes` package: every file parses, and most attributed entries are found.
    /// Only the regular files at the top count: `fortunes-de`, `-es` and `-it` add the
    /// directories `de/`, `es/`, `it/` (and `off/` holds offensive ones), which are other
    /// corpora; links (`*.u8`) and indexes (`*.dat`) are skipped by their dots.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/games/fortunes/tao")))
    func debianFortunes() throws {
        let directory = "/usr/share/games/fortunes"
        var entries = 0
        var attributed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.contains(".") {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let data = try #require(FileManager.default.contents(atPath: directory + "/" + name))
            let file = FortuneFile(parsing: String(decoding: data, as: UTF8.self))
            // Each entry is attributed (one quote or several) or skipped.
            #expect(Set(file.entries.map(\.number)).count + file.unattributedCount == file.entryCount)
            entries += file.entryCount
            attributed += file.entries.count
        }
        // 15,217 entries and 7,619 attributed in fortunes 1:1.99.1-7.3; half are jokes without one.
        #expect(entries > 10_000)
        #expect(attributed * 2 > entries * 9 / 10)
        let tao = FortuneFile(parsing: String(decoding: try #require(FileManager.default.contents(atPath: directory + "/tao")), as: UTF8.self))
        #expect(tao.unattributedCount == 0)
        #expect(tao.quotes.first?.speaker == "Lao Tse")
        #expect(tao.quotes.first?.source == "Tao Te Ching")
    }
}
