import CommandLineKit

/// Declarations shaped like the real executables', shared by the tests.
enum Fixtures {
    static let search = CommandSpec(
        name: "search", abstract: "Search the archive.",
        options: [
            .single("speaker", short: "s", valueName: "name", help: "Only quotes by this speaker."),
            .single("from", valueName: "date", help: "Only quotes from this date on."),
            .single("limit", short: "n", valueName: "count", help: "At most this many quotes.", defaultValue: "20"),
            .repeatable("tag", help: "Only quotes with this tag; repeat for several."),
        ],
        arguments: [.variadic("words", help: "Words the text must contain.")])

    static let add = CommandSpec(
        name: "add", abstract: "Add a quote.",
        options: [
            .single("speaker", valueName: "name", help: "Who said it.", isRequired: true),
            .repeatable("tag", help: "A tag; repeat for several."),
        ],
        arguments: [.required("text", help: "The text, or '-' to read it from standard input.")])

    static let get = CommandSpec(
        name: "get", abstract: "Show one quote.",
        arguments: [.required("id", help: "The quote's identifier."), .optional("format", help: "How to show it.")])

    static let quotes = CommandSpec(
        name: "quotes", abstract: "Query and edit the quote archive.",
        options: [
            .single("server", valueName: "HOST:PORT", help: "The server to talk to.", defaultValue: "127.0.0.1:7878"),
            .flag("json", help: "Print JSON instead of text."),
        ],
        subcommands: [search, add, get])

    static let quoted = CommandSpec(
        name: "quoted", abstract: "Serve the quote archive.",
        options: [
            .repeatable(
                "listen", valueName: "HOST:PORT", help: "An address to listen on.", defaultValue: "127.0.0.1:7878"),
            .single("data", valueName: "DIR", help: "The data directory."),
            .single("fsync", valueName: "policy", help: "When to flush the log to disk.",
                    defaultValue: "interval", allowedValues: ["always", "interval", "never"]),
            .single("max-connections", valueName: "N", help: "The most clients served at once.", defaultValue: "1024"),
            .flag("no-seed", help: "Start empty instead of loading the sample quotes."),
        ])

    /// Parses and expects a command, failing the test with the error or help otherwise.
    static func command(_ spec: CommandSpec, _ arguments: [String]) throws -> ParsedCommand {
        switch try spec.parse(arguments) {
        case .command(let parsed): return parsed
        case .help(let path, _): throw UnexpectedHelp(commandPath: path)
        }
    }

    /// Parses and returns the usage error, or nil when parsing succeeded.
    static func usageError(_ spec: CommandSpec, _ arguments: [String]) -> UsageError? {
        do {
            _ = try spec.parse(arguments)
            return nil
        } catch {
            return error
        }
    }
}

/// Thrown by `Fixtures.command` when a test expected a command but parsing asked for help.
struct UnexpectedHelp: Error {
    let commandPath: [String]
}
