import CommandLineKit
import Testing

@Suite struct HelpTests {
    static let searchHelp = """
        OVERVIEW: Search the archive.

        USAGE: quotes search [--speaker <name>] [--from <date>] [--limit <count>]
               [--tag <tag> ...] [<words> ...]

        ARGUMENTS:
          <words>                 Words the text must contain.

        OPTIONS:
          -s, --speaker <name>    Only quotes by this speaker.
          --from <date>           Only quotes from this date on.
          -n, --limit <count>     At most this many quotes. (default: 20)
          --tag <tag>             Only quotes with this tag; repeat for several.
          -h, --help              Show help information.
        """

    static let quotesHelp = """
        OVERVIEW: Query and edit the quote archive.

        USAGE: quotes [--server <HOST:PORT>] [--json] <subcommand>

        OPTIONS:
          --server <HOST:PORT>    The server to talk to. (default: 127.0.0.1:7878)
          --json                  Print JSON instead of text.
          -h, --help              Show help information.

        SUBCOMMANDS:
          search                  Search the archive.
          add                     Add a quote.
          get                     Show one quote.

          See 'quotes help <subcommand>' for detailed help.
        """

    static let quotedHelp = """
        OVERVIEW: Serve the quote archive.

        USAGE: quoted [--listen <HOST:PORT> ...] [--data <DIR>] [--fsync <policy>]
               [--max-connections <N>] [--no-seed]

        OPTIONS:
          --listen <HOST:PORT>    An address to listen on. (default: 127.0.0.1:7878)
          --data <DIR>            The data directory.
          --fsync <policy>        When to flush the log to disk. (values: always,
                                  interval, never; default: interval)
          --max-connections <N>   The most clients served at once. (default: 1024)
          --no-seed               Start empty instead of loading the sample quotes.
          -h, --help              Show help information.
        """

    @Test func subcommandHelpLayout() {
        #expect(Fixtures.search.helpText(commandPath: ["quotes", "search"]) == HelpTests.searchHelp)
    }

    @Test func rootHelpLayout() {
        #expect(Fixtures.quotes.helpText() == HelpTests.quotesHelp)
    }

    @Test func wrappedDescriptionsAndUsage() {
        #expect(Fixtures.quoted.helpText() == HelpTests.quotedHelp)
        for line in HelpTests.quotedHelp.split(separator: "\n") {
            #expect(line.count <= 80)
        }
    }

    @Test func longLabelPutsDescriptionOnNextLine() {
        let spec = CommandSpec(
            name: "tool", abstract: "A tool.",
            discussion: "A discussion long enough to need wrapping, because it keeps going well past the "
                + "eightieth column.\n  indented line",
            options: [.single("a-very-long-option-name", valueName: "value", help: "Explained below the label.")],
            arguments: [.required("id", help: "")])
        let expected = """
            OVERVIEW: A tool.

            A discussion long enough to need wrapping, because it keeps going well past the
            eightieth column.
              indented line

            USAGE: tool [--a-very-long-option-name <value>] <id>

            ARGUMENTS:
              <id>

            OPTIONS:
              --a-very-long-option-name <value>
                                      Explained below the label.
              -h, --help              Show help information.
            """
        #expect(spec.helpText() == expected)
    }

    @Test(arguments: [
        ["search", "--help"], ["search", "-h"], ["help", "search"], ["--json", "help", "search"],
        ["search", "--speaker", "x", "-h"], ["search", "--bogus", "--help"], ["search", "--limit", "--help"],
    ])
    func helpRequestsAgree(arguments: [String]) throws {
        let result = try Fixtures.quotes.parse(arguments)
        #expect(result == .help(commandPath: ["quotes", "search"], text: HelpTests.searchHelp))
    }

    @Test(arguments: [["--help"], ["-h"], ["help"], ["--json", "-h"]])
    func rootHelpRequests(arguments: [String]) throws {
        let result = try Fixtures.quotes.parse(arguments)
        #expect(result == .help(commandPath: ["quotes"], text: HelpTests.quotesHelp))
    }

    @Test func helpBeforeSubcommandNameIsTheSubcommandsHelp() throws {
        // The whole line is read, so the deepest command named gets the help.
        let result = try Fixtures.quotes.parse(["--help", "search"])
        #expect(result == .help(commandPath: ["quotes", "search"], text: HelpTests.searchHelp))
    }

    @Test func helpAfterDoubleDashIsAnArgument() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--", "--help"])
        #expect(parsed.positionals == ["--help"])
    }

    @Test func helpForAServerWithoutSubcommands() throws {
        let result = try Fixtures.quoted.parse(["--data", "/tmp", "--help"])
        #expect(result == .help(commandPath: ["quoted"], text: HelpTests.quotedHelp))
    }

    @Test func usageString() {
        let addUsage = Fixtures.add.usage(commandPath: ["quotes", "add"])
        #expect(addUsage == "quotes add --speaker <name> [--tag <tag> ...] <text>")
        #expect(Fixtures.get.usage() == "get <id> [<format>]")
    }
}
