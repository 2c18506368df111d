import CommandLineKit
import Testing

@Suite struct UsageErrorTests {
    @Test func unknownOptionWithSuggestion() {
        let error = Fixtures.usageError(Fixtures.quotes, ["search", "--speker", "chen"])
        #expect(error?.message == "Unknown option '--speker'. Did you mean '--speaker'?")
        #expect(error?.commandPath == ["quotes", "search"])
    }

    @Test func unknownOptionSuggestsGlobalOptions() {
        let error = Fixtures.usageError(Fixtures.quotes, ["search", "--jsno"])
        #expect(error?.message == "Unknown option '--jsno'. Did you mean '--json'?")
    }

    @Test func unknownOptionWithEqualsNamesOnlyTheOption() {
        let error = Fixtures.usageError(Fixtures.quotes, ["search", "--lmit=5"])
        #expect(error?.message == "Unknown option '--lmit'. Did you mean '--limit'?")
    }

    @Test func singleDashLongName() {
        let error = Fixtures.usageError(Fixtures.quotes, ["search", "-speaker", "x"])
        #expect(error?.message == "Unknown option '-speaker'. Did you mean '--speaker'?")
    }

    @Test func unknownOptionWithoutSuggestion() {
        #expect(Fixtures.usageError(Fixtures.quotes, ["search", "--zzz"])?.message == "Unknown option '--zzz'.")
        #expect(Fixtures.usageError(Fixtures.quotes, ["search", "-x"])?.message == "Unknown option '-x'.")
    }

    @Test func subcommandOptionBeforeSubcommandIsUnknown() {
        let error = Fixtures.usageError(Fixtures.quotes, ["--speaker", "x", "search"])
        #expect(error?.message == "Unknown option '--speaker'.")
        #expect(error?.commandPath == ["quotes"])
    }

    @Test func missingValue() {
        let missing = "Missing value for option '--limit'"
        #expect(Fixtures.usageError(Fixtures.quotes, ["search", "--limit"])?.message == missing)
        #expect(Fixtures.usageError(Fixtures.quotes, ["search", "--limit", "--json"])?.message == missing)
        #expect(Fixtures.usageError(Fixtures.quotes, ["search", "-n"])?.message == "Missing value for option '-n'")
    }

    @Test func flagWithValue() {
        let error = Fixtures.usageError(Fixtures.quotes, ["--json=yes", "search"])
        #expect(error?.message == "The option '--json' does not take a value")
    }

    @Test func unknownCommand() {
        let error = Fixtures.usageError(Fixtures.quotes, ["--json", "serch", "x"])
        #expect(error?.message == "Unknown command 'serch'. Did you mean 'search'?")
        #expect(error?.commandPath == ["quotes"])
        #expect(Fixtures.usageError(Fixtures.quotes, ["frobnicate"])?.message == "Unknown command 'frobnicate'.")
        let helpTypo = Fixtures.usageError(Fixtures.quotes, ["help", "ad"])
        #expect(helpTypo?.message == "Unknown command 'ad'. Did you mean 'add'?")
    }

    @Test func missingSubcommand() {
        let error = Fixtures.usageError(Fixtures.quotes, ["--json"])
        #expect(error?.message == "Missing expected argument '<subcommand>'")
    }

    @Test func missingArgument() {
        let error = Fixtures.usageError(Fixtures.quotes, ["get"])
        #expect(error?.message == "Missing expected argument '<id>'")
        #expect(error?.commandPath == ["quotes", "get"])
    }

    @Test func missingRequiredOption() {
        let error = Fixtures.usageError(Fixtures.quotes, ["add", "text"])
        #expect(error?.message == "Missing expected argument '--speaker <name>'")
    }

    @Test func unexpectedArgument() {
        #expect(Fixtures.usageError(Fixtures.quotes, ["get", "a", "b", "x"])?.message == "Unexpected argument 'x'")
        #expect(Fixtures.usageError(Fixtures.quoted, ["help"])?.message == "Unexpected argument 'help'")
    }

    @Test func invalidAllowedValue() {
        let error = Fixtures.usageError(Fixtures.quoted, ["--fsync", "x"])
        #expect(error?.message == "Invalid value 'x' for '--fsync': expected one of always, interval, never")
    }

    @Test func typedConversionErrors() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--limit", "five"])
        #expect(throws: UsageError(
            message: "Invalid value 'five' for '--limit': expected an integer",
            usage: Fixtures.search.usage(commandPath: ["quotes", "search"]), commandPath: ["quotes", "search"])
        ) {
            try parsed.int("limit")
        }

        let server = try Fixtures.command(Fixtures.quoted, ["--max-connections", "0"])
        #expect(throws: UsageError.self) { try server.int("max-connections", in: 1...100) }
        do {
            _ = try server.int("max-connections", in: 1...100)
        } catch {
            #expect(error.message == "Invalid value '0' for '--max-connections': expected an integer from 1 to 100")
        }

        let listen = try Fixtures.command(Fixtures.quoted, ["--listen", "a:1", "--listen", "b"])
        do {
            _ = try listen.values("listen", expected: "HOST:PORT") { text -> Int? in
                text.split(separator: ":").count == 2 ? 1 : nil
            }
            Issue.record("the second address should be rejected")
        } catch {
            #expect(error.message == "Invalid value 'b' for '--listen': expected HOST:PORT")
        }
    }

    @Test func renderedText() {
        let error = Fixtures.usageError(Fixtures.quotes, ["search", "--speker", "chen"])
        #expect(error?.rendered() == """
            Error: Unknown option '--speker'. Did you mean '--speaker'?
            Usage: quotes search [--speaker <name>] [--from <date>] [--limit <count>]
                   [--tag <tag> ...] [<words> ...]
              See 'quotes search --help' for more information.
            """)
    }

    @Test func customErrorCarriesTheSelectedCommandsUsage() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["get", "abc"])
        let error = parsed.usageError("The identifier 'abc' is not 32 hexadecimal digits")
        #expect(error.rendered() == """
            Error: The identifier 'abc' is not 32 hexadecimal digits
            Usage: quotes get <id> [<format>]
              See 'quotes get --help' for more information.
            """)
    }
}
