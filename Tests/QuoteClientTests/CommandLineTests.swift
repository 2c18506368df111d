import Foundation
import Testing

/// The `quotes` executable's help, usage errors and exit codes, pinned by running it.
@Suite(.enabled(if: CommandLineRunner.hasQuotes)) struct CommandLineTests {
    static let searchHelp = """
        OVERVIEW: Find quotes by speaker, date, words, tag or language.

        Filters combine: a quote must match all of them. On a terminal at most 20 quotes
        are shown (--limit, --all); piped or redirected, every match is written unless
        --limit is given, so scripts never get a silently cut list. Exits with 1 when
        nothing matches.

        USAGE: quotes search [--speaker <name>] [--from <date>] [--to <date>]
               [--text <words>] [--tag <tag> ...] [--lang <lang>] [--limit <count>]
               [--all]

        OPTIONS:
          -s, --speaker <name>    Quotes by a speaker whose name has every word of this,
                                  in any order: 'chen', 'mark chen', 'von goethe'.
          --from <date>           Quotes dated on or after this date (YYYY, YYYY-MM or
                                  YYYY-MM-DD).
          --to <date>             Quotes dated on or before this date.
          -t, --text <words>      Quotes whose text holds all these words; "a phrase" in
                                  double quotes, prefix* (2+ letters), -word to exclude.
          --tag <tag>             Quotes with this tag; repeat to require several.
          --lang <lang>           Quotes in this language, such as en or fr.
          -n, --limit <count>     Show at most this many quotes. (default: 20 on a
                                  terminal, else all)
          --all                   Show every match, ignoring --limit.
          -h, --help              Show help information.

        """

    @Test func topLevelHelpDocumentsSubcommandsExitCodesAndEnvironment() throws {
        let outcome = try CommandLineRunner.quotes(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.standardError.isEmpty)
        let help = outcome.standardOutput
        for section in ["OVERVIEW:", "EXIT CODES:", "ENVIRONMENT:", "USAGE: quotes", "OPTIONS:", "SUBCOMMANDS:"] {
            #expect(help.contains(section))
        }
        for line in ["  2 usage error", "  3 server or connection error", "  4 rejected input", "  QUOTES_SERVER"] {
            #expect(help.contains(line))
        }
        for command in ["add", "get", "search", "random", "today", "delete", "import", "export", "stats", "digest", "ping"] {
            #expect(help.contains("\n  \(command) "))
        }
        #expect(try CommandLineRunner.quotes(["-h"]).standardOutput == help)
    }

    @Test func subcommandHelpIsTheSameEveryWayItIsAsked() throws {
        for arguments in [["search", "--help"], ["help", "search"], ["search", "-h"], ["--json", "search", "--speker", "-h"]] {
            let outcome = try CommandLineRunner.quotes(arguments)
            #expect(outcome.status == 0)
            #expect(outcome.standardOutput == CommandLineTests.searchHelp)
        }
    }

    @Test func unknownCommandSuggestsTheNearestAndExitsWithTwo() throws {
        let outcome = try CommandLineRunner.quotes(["serch"])
        #expect(outcome.status == 2)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.hasPrefix("Error: Unknown command 'serch'. Did you mean 'search'?\nUsage: quotes "))
        #expect(outcome.standardError.hasSuffix("  See 'quotes --help' for more information.\n"))
    }

    @Test func unknownOptionSuggestsTheNearestAndExitsWithTwo() throws {
        let outcome = try CommandLineRunner.quotes(["search", "--speker", "x"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.hasPrefix("Error: Unknown option '--speker'. Did you mean '--speaker'?\nUsage: quotes search "))
        #expect(outcome.standardError.hasSuffix("  See 'quotes search --help' for more information.\n"))
    }

    @Test(arguments: [
        (["search", "--from", "2026", "--to", "2025"], "Error: --from 2026 is after --to 2025: no date lies between them"),
        (["search", "--limit", "0"], "Error: Invalid value '0' for '--limit': expected an integer from 1 to 1000000"),
        (["--server", "db1:7878", "ping"], "Error: Invalid value 'db1:7878' for '--server'"),
        (["--timeout", "-1", "ping"], "Error: Invalid value '-1' for '--timeout'"),
        (["add", "words"], "Error: Missing expected argument '--speaker <name>'"),
        (["import", "--format", "csv", "x"], "Error: Invalid value 'csv' for '--format': expected one of jsonl, fortune"),
    ])
    func badValuesAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let outcome = try CommandLineRunner.quotes(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.hasPrefix(message))
    }

    /// A date that does not exist is rejected input (4), like an invalid quote, and says why,
    /// before any server is asked.
    @Test(arguments: [
        (["search", "--from", "2025-13"], "quotes: invalid date '2025-13' for --from: month 13 is outside 1...12 [invalid_date]"),
        (["search", "--to", "2025-02-30"], "quotes: invalid date '2025-02-30' for --to: 2025-02 has no day 30 [invalid_date]"),
        (["add", "words", "--speaker", "s", "--date", "2025-02-30"],
         "quotes: invalid date '2025-02-30' for --date: 2025-02 has no day 30 [invalid_date]"),
        (["random", "--from", "yesterday"], "quotes: invalid date 'yesterday' for --from: "),
    ])
    func invalidDatesAreRejectedInput(_ arguments: [String], _ message: String) throws {
        let outcome = try CommandLineRunner.quotes(["--server", "127.0.0.1:9"] + arguments)
        #expect(outcome.status == 4)
        #expect(outcome.standardError.hasPrefix(message), "\(outcome.standardError)")
    }

    @Test func versionPrintsTheVersion() throws {
        let outcome = try CommandLineRunner.quotes(["--version"])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput == "quotes 0.1.0\n")
    }

    @Test(arguments: [["ping"], ["search"], ["get", "abcdef"], ["stats"], ["export"]])
    func unreachableServerExitsWithThree(_ arguments: [String]) throws {
        // Nothing listens on port 1 (tcpmux) on a sane machine, so the connect is refused.
        let outcome = try CommandLineRunner.quotes(["--server", "127.0.0.1:1"] + arguments)
        #expect(outcome.status == 3)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.hasPrefix("quotes: cannot reach 127.0.0.1:1: Connection refused"))
    }

    @Test func serverComesFromTheEnvironment() throws {
        let outcome = try CommandLineRunner.quotes(["ping"], environment: ["QUOTES_SERVER": "[::1]:1"])
        #expect(outcome.status == 3)
        #expect(outcome.standardError.hasPrefix("quotes: cannot reach [::1]:1: "))
        let invalid = try CommandLineRunner.quotes(["ping"], environment: ["QUOTES_SERVER": "nope"])
        #expect(invalid.status == 2)
        #expect(invalid.standardError.hasPrefix("Error: Invalid value 'nope' for QUOTES_SERVER"))
    }

    @Test func unreadableImportFileIsRejectedInput() throws {
        let outcome = try CommandLineRunner.quotes(["--server", "127.0.0.1:1", "import", "/nonexistent/quotes.jsonl"])
        #expect(outcome.status == 4)
        #expect(outcome.standardError.hasPrefix("quotes: cannot read /nonexistent/quotes.jsonl: "))
    }

    @Test func dryRunConvertsAFortuneFileWithoutAServer() throws {
        let fortune = "Be yourself.\n\t\t-- Oscar Wilde, 1890\n%\nA joke.\n%\nBad \u{83} text.\n-- X\n%\n"
        let outcome = try CommandLineRunner.quotes(
            ["--server", "127.0.0.1:1", "import", "--format", "fortune", "--tag", "Fortune", "--dry-run", "-"], input: fortune)
        #expect(outcome.status == 4)
        #expect(outcome.standardOutput == #"{"text":"Be yourself.","speaker":"Oscar Wilde","date":"1890","tags":["fortune"]}"# + "\n")
        #expect(outcome.standardError == """
            dry run: 1 valid, 1 rejected; 1 skipped without attribution
              entry 3 (line 6): the text holds a control character [control_character]

            """)
    }
}
