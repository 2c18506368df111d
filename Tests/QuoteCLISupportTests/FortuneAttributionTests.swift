import QuoteCLISupport
import QuoteCore
import Testing

@Suite struct FortuneAttributionTests {
    /// One attribution body as found after the dash in Debian's fortunes, and its parts.
    struct Shape: CustomTestStringConvertible, Sendable {
        let body: String
        let speaker: String
        let date: String?
        let source: String?
        var testDescription: String { body }

        init(_ body: String, _ speaker: String, date: String? = nil, source: String? = nil) {
            self.body = body
            self.speaker = speaker
            self.date = date
            self.source = source
        }
    }

    static let shapes: [Shape] = [
        Shape("Mark Twain", "Mark Twain"),
        Shape("Ambrose Bierce, \"The Devil's Dictionary\"", "Ambrose Bierce", source: "The Devil's Dictionary"),
        Shape("Alan Kay, \"Computer Software\", Scientific American, September 1984", "Alan Kay",
              date: "1984-09", source: "\"Computer Software\", Scientific American"),
        Shape("The Washington Post Magazine, 9 June, 1985", "The Washington Post Magazine", date: "1985-06-09"),
        Shape("The Wall Street Journal, December 6, 1989", "The Wall Street Journal", date: "1989-12-06"),
        Shape("Edward Mendelson, \"The New Republic\", February 22, 1988", "Edward Mendelson",
              date: "1988-02-22", source: "The New Republic"),
        Shape("Geoffrey James, \"The Tao of Programming\", 1987", "Geoffrey James", date: "1987",
              source: "The Tao of Programming"),
        Shape("Mark Twain, 1897", "Mark Twain", date: "1897"),
        Shape("Brad DeLong (2009)", "Brad DeLong", date: "2009"),
        Shape("Steve Jobs (1955-2011)", "Steve Jobs"),
        Shape("Thomas De Quincey (1785 - 1859)", "Thomas De Quincey"),
        Shape("Lucius Annaeus Seneca (4 B.C. - A.D. 65)", "Lucius Annaeus Seneca"),
        Shape("George Washington, 1732-1799", "George Washington"),
        Shape("Larry Wall in <199710011704.KAA21395@wall.org>", "Larry Wall", source: "<199710011704.KAA21395@wall.org>"),
        Shape("Larry Wall in  <1991Jul13.010945.19157@netlabs.com", "Larry Wall", source: "<1991Jul13.010945.19157@netlabs.com"),
        Shape("Lars Wirzenius <wirzeniu@cs.helsinki.fi>", "Lars Wirzenius", source: "<wirzeniu@cs.helsinki.fi>"),
        Shape("Muad'dib [Frank Herbert, \"Dune\"]", "Muad'dib", source: "Frank Herbert, \"Dune\""),
        Shape("\"The Naked Consumer\", Erik Larson", "Erik Larson", source: "The Naked Consumer"),
        Shape("\"InfoWorld\", June, 1984", "InfoWorld", date: "1984-06"),
        Shape("Fred Brooks, Jr.", "Fred Brooks, Jr."),
        Shape("Martin Luther King, Jr., \"Strength to Love\", 1963", "Martin Luther King, Jr.", date: "1963",
              source: "Strength to Love"),
        Shape("Spock, \"The Enterprise Incident\", stardate 5027.3", "Spock",
              source: "\"The Enterprise Incident\", stardate 5027.3"),
        Shape("Epigrams in Programming, ACM SIGPLAN Sept. 1982", "Epigrams in Programming",
              source: "ACM SIGPLAN Sept. 1982"),
        Shape("Alex Lewyt (President of the Lewyt Corporation, manufacturers of vacuum cleaners), quoted in The New York Times, June 10, 1955.",
              "Alex Lewyt", date: "1955-06-10",
              source: "President of the Lewyt Corporation, manufacturers of vacuum cleaners, quoted in The New York Times"),
        Shape("Georges Bernanos (1888-1948), \"Why Freedom?\" The last essays (1955)", "Georges Bernanos",
              date: "1955", source: "\"Why Freedom?\" The last essays"),
        Shape("Winston Churchill, on General Montgomery", "Winston Churchill", source: "on General Montgomery"),
        Shape("J. R. \"Bob\" Dobbs", "J. R. \"Bob\" Dobbs"),
        Shape("Maurice Wilkes, designer of EDSAC, on programming, 1949", "Maurice Wilkes",
              date: "1949", source: "designer of EDSAC, on programming"),
        // After a quoted title, only a capitalized part without digits is taken for the name.
        Shape("\"Applied Optics\", vol. 11, A14, 1972", "Applied Optics", date: "1972", source: "vol. 11, A14"),
        Shape("\"Omni\", proof that 2 equals 1", "Omni", source: "proof that 2 equals 1"),
        Shape("\"Datamation\", on the other hand", "Datamation", source: "on the other hand"),
        // A name, a life span, a description (the Spanish files' shape).
        Shape("Séneca. (2 a.C-65) Filósofo latino.", "Séneca", source: "Filósofo latino"),
        Shape("Aristóteles. (384-322 A.C.) Filósofo griego.", "Aristóteles", source: "Filósofo griego"),
        Shape("Francis Bacon. (1561-1626) Filósofo y estadista británico.", "Francis Bacon",
              source: "Filósofo y estadista británico"),
        Shape("Epicuro de Samos. (341-270 a.C.) Filósofo griego.", "Epicuro de Samos", source: "Filósofo griego"),
        // A closing period goes; an initial's or an abbreviation's stays.
        Shape("Lopez de Ayala.", "Lopez de Ayala"),
        Shape("Www.frases.com.", "Www.frases.com"),
        Shape("Warner Bros.", "Warner Bros."),
        Shape("Harry S.", "Harry S."),
    ]

    @Test(arguments: shapes) func attributionShape(_ shape: Shape) throws {
        let attribution = try #require(FortuneAttribution(parsing: shape.body))
        #expect(attribution.speaker == shape.speaker)
        #expect(attribution.date?.description == shape.date)
        #expect(attribution.source == shape.source)
    }

    @Test func impossibleDateStaysInTheSource() throws {
        let attribution = try #require(FortuneAttribution(parsing: "Someone, February 30, 1990"))
        #expect(attribution.date?.description == "1990")
        #expect(attribution.source == "February 30")
    }

    @Test(arguments: ["", "   ", "May 18, 1999", "1984", "\"\""])
    func noSpeakerMeansNoAttribution(_ body: String) {
        #expect(FortuneAttribution(parsing: body) == nil)
    }
}
