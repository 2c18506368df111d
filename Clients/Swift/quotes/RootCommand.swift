import CommandLineKit

/// The `quotes` command itself: global options, the subcommand list, and the help that
/// documents exit codes and the environment.
enum RootCommand {
    /// Every subcommand, in the order help lists them.
    static var subcommands: [any Subcommand.Type] {
        [
            AddCommand.self, GetCommand.self, SearchCommand.self, CountCommand.self, SpeakersCommand.self, RandomCommand.self, TodayCommand.self,
            EditCommand.self, DeleteCommand.self, ImportCommand.self, ExportCommand.self, StatsCommand.self, DigestCommand.self,
            ReplicateCommand.self, DiffCommand.self, PingCommand.self,
        ]
    }

    /// The declaration `quotes` parses its command line with.
    static let spec = CommandSpec(
        name: "quotes",
        abstract: "Add, find and share attributed quotes kept by a quoted server.",
        // Aligned with single spaces: help wrapping keeps indentation but folds inner runs.
        discussion: """
            EXIT CODES:
              0 success
              1 nothing found: no quote matches, or no quote has that id; for diff,
                the archives differ
              2 usage error: the command line does not parse
              3 server or connection error
              4 rejected input: an invalid quote, id, date or query, an ambiguous id
                prefix, or an import file that cannot be read or holds rejected quotes

            ENVIRONMENT:
              QUOTES_SERVER
                The server's HOST:PORT when --server is not given; without either,
                \(Configuration.defaultServer).
              QUOTES_TOKEN
                The access token (NAME:HEX, as `quoted token add` prints it) when
                --token-file is not given; needed when the server asks for one.
            """,
        options: [
            .single("server", valueName: "HOST:PORT",
                    help: "The server to talk to; [IPV6]:PORT for IPv6; a HOST alone means port \(Configuration.defaultPort). (default: $QUOTES_SERVER, else \(Configuration.defaultServer))"),
            .flag("json", help: "Print one JSON object per line, with stable field names, for scripts and jq."),
            .single("token-file", valueName: "file", help: "A file holding the access token, NAME:HEX. (default: $QUOTES_TOKEN)"),
            .single("timeout", valueName: "seconds", help: "How long each request may take.",
                    defaultValue: String(Int(Configuration.defaultTimeoutSeconds))),
            .flag("version", help: "Show the version."),
        ],
        subcommands: subcommands.map { $0.spec })

    /// Whether the line asks for the version: `--version` among the options before `--`.
    /// Checked before parsing, since the parser insists on a subcommand.
    static func asksForVersion(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--version")
    }
}
