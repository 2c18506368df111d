import CommandLineKit
import Testing

@Suite struct ParsingTests {
    @Test func globalOptionsBeforeSubcommand() throws {
        let parsed = try Fixtures.command(
            Fixtures.quotes,
            ["--server", "127.0.0.1:7878", "--json", "search", "--speaker", "chen", "--from", "2025", "--limit", "5"])
        #expect(parsed.commandPath == ["quotes", "search"])
        #expect(parsed.subcommandPath == ["search"])
        #expect(parsed.command.name == "search")
        #expect(parsed.value("server") == "127.0.0.1:7878")
        #expect(parsed.flag("json"))
        #expect(parsed.value("speaker") == "chen")
        #expect(parsed.value("from") == "2025")
        #expect(try parsed.int("limit") == 5)
    }

    @Test func globalOptionsAfterSubcommand() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "war", "--json", "--server=example.org:1"])
        #expect(parsed.flag("json"))
        #expect(parsed.value("server") == "example.org:1")
        #expect(parsed.positionals == ["war"])
    }

    @Test func equalsForm() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--speaker=Mark Chen", "--limit=3", "--from="])
        #expect(parsed.value("speaker") == "Mark Chen")
        #expect(try parsed.int("limit") == 3)
        #expect(parsed.value("from") == "")
    }

    @Test func valueMayContainEquals() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--speaker=a=b"])
        #expect(parsed.value("speaker") == "a=b")
    }

    @Test func shortOptions() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "-s", "chen", "-n", "2"])
        #expect(parsed.value("speaker") == "chen")
        #expect(try parsed.int("limit") == 2)
    }

    @Test func repeatableOption() throws {
        let parsed = try Fixtures.command(
            Fixtures.quotes, ["add", "text", "--speaker", "S", "--tag", "a", "--tag=b", "--tag", "c"])
        #expect(parsed.values("tag") == ["a", "b", "c"])
        #expect(parsed.argument("text") == "text")
    }

    @Test func singleOptionGivenTwiceKeepsTheLast() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--speaker", "a", "--speaker", "b"])
        #expect(parsed.value("speaker") == "b")
        #expect(parsed.values("speaker") == ["a", "b"])
    }

    @Test func defaults() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search"])
        #expect(parsed.value("server") == "127.0.0.1:7878")
        #expect(try parsed.int("limit") == 20)
        #expect(parsed.value("speaker") == nil)
        #expect(try parsed.int("from") == nil)
        #expect(parsed.values("tag").isEmpty)
        #expect(!parsed.flag("json"))

        let server = try Fixtures.command(Fixtures.quoted, [])
        #expect(server.values("listen") == ["127.0.0.1:7878"])
        #expect(server.value("fsync") == "interval")
    }

    @Test func givenRepeatableValuesReplaceTheDefault() throws {
        let parsed = try Fixtures.command(Fixtures.quoted, ["--listen", "0.0.0.0:1", "--listen", "[::]:2", "--no-seed"])
        #expect(parsed.values("listen") == ["0.0.0.0:1", "[::]:2"])
        #expect(parsed.flag("no-seed"))
        #expect(parsed.commandPath == ["quoted"])
        #expect(parsed.subcommandPath.isEmpty)
    }

    @Test func allowedValue() throws {
        let parsed = try Fixtures.command(Fixtures.quoted, ["--fsync", "always"])
        #expect(parsed.value("fsync") == "always")
    }

    @Test func dashIsAPositional() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["add", "-", "--speaker", "S"])
        #expect(parsed.argument("text") == "-")
        #expect(parsed.value("speaker") == "S")
    }

    @Test func dashIsAValue() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--speaker", "-"])
        #expect(parsed.value("speaker") == "-")
    }

    @Test func negativeNumberIsAValue() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--limit", "-1", "-2"])
        #expect(parsed.value("limit") == "-1")
        #expect(parsed.positionals == ["-2"])
    }

    @Test func optionsAnywhereAmongPositionals() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "one", "--tag", "t", "two", "-s", "x", "three"])
        #expect(parsed.arguments("words") == ["one", "two", "three"])
        #expect(parsed.values("tag") == ["t"])
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try Fixtures.command(Fixtures.quotes, ["search", "--json", "--", "--speaker", "-h", "--", "-"])
        #expect(parsed.flag("json"))
        #expect(parsed.value("speaker") == nil)
        #expect(parsed.arguments("words") == ["--speaker", "-h", "--", "-"])
    }

    @Test func optionalArgumentOnlyTakesWhatIsLeft() throws {
        let one = try Fixtures.command(Fixtures.quotes, ["get", "abc"])
        #expect(one.argument("id") == "abc")
        #expect(one.argument("format") == nil)
        let two = try Fixtures.command(Fixtures.quotes, ["get", "abc", "long"])
        #expect(two.argument("format") == "long")
    }

    @Test func optionalBeforeRequiredLeavesValuesForTheRequired() throws {
        let spec = CommandSpec(
            name: "copy", abstract: "",
            arguments: [.optional("from", help: ""), .variadic("middle", help: ""), .required("to", help: "")])
        let short = try Fixtures.command(spec, ["x"])
        #expect(short.argument("from") == nil)
        #expect(short.argument("to") == "x")
        let long = try Fixtures.command(spec, ["a", "b", "c", "d"])
        #expect(long.argument("from") == "a")
        #expect(long.arguments("middle") == ["b", "c"])
        #expect(long.argument("to") == "d")
    }

    @Test func convertedValues() throws {
        let parsed = try Fixtures.command(
            Fixtures.quoted, ["--max-connections", "10", "--listen", "a:1", "--listen", "b:2"])
        #expect(try parsed.int("max-connections", in: 1...100) == 10)
        let ports = try parsed.values("listen", expected: "HOST:PORT") { text in
            text.split(separator: ":").last.flatMap { Int($0) }
        }
        #expect(ports == [1, 2])
        let fsync = try parsed.value("fsync", expected: "a policy") { $0.uppercased() }
        #expect(fsync == "INTERVAL")
    }
}
