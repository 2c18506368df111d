/// A command's declaration: its name, help, options, positional arguments and subcommands.
///
/// The root command is named after the executable. Options of a command stay valid after
/// one of its subcommands is named, so `quotes --json search x` and `quotes search x --json`
/// mean the same; when a subcommand declares an option with the same name, its own wins there.
/// A command with subcommands takes no positional arguments of its own: its first positional
/// value names the subcommand, and `help <subcommand>` shows that subcommand's help.
public struct CommandSpec: Sendable, Equatable {
    /// The name typed to select the command; for the root, the executable's name.
    public var name: String
    /// One sentence shown after `OVERVIEW:` and in the parent's SUBCOMMANDS list.
    public var abstract: String
    /// Longer help shown after the overview; explicit line breaks are kept.
    public var discussion: String?
    /// The options the command accepts, in the order help lists them.
    public var options: [OptionSpec]
    /// The positional arguments, in the order they are matched.
    public var arguments: [ArgumentSpec]
    /// The commands that can follow this one's name.
    public var subcommands: [CommandSpec]

    /// Creates a command declaration.
    public init(
        name: String, abstract: String, discussion: String? = nil, options: [OptionSpec] = [],
        arguments: [ArgumentSpec] = [], subcommands: [CommandSpec] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.subcommands = subcommands
    }

    /// Parses the command-line arguments that follow the executable's name.
    ///
    /// `-h` or `--help` anywhere before `--`, or `help <subcommand>`, yields `.help` rather
    /// than an error, even when the rest of the line would not parse.
    public func parse(_ arguments: [String]) throws(UsageError) -> ParseResult {
        var parser = CommandLineParser(root: self, arguments: arguments)
        return try parser.parse()
    }

    /// The help text, for printing to standard output; `commandPath` is the names typed to
    /// reach this command, `[name]` for the root.
    public func helpText(commandPath: [String]? = nil) -> String {
        HelpFormatter(command: self, commandPath: commandPath ?? [name]).helpText()
    }

    /// The usage line without its `USAGE: ` prefix, wrapped to 80 columns after a seven-character prefix.
    public func usage(commandPath: [String]? = nil) -> String {
        HelpFormatter(command: self, commandPath: commandPath ?? [name]).usage()
    }
}
