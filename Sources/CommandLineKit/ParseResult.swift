/// What a command line asks for: running a command, or showing a command's help.
public enum ParseResult: Sendable, Equatable {
    /// Run the selected command with the options and arguments it was given.
    case command(ParsedCommand)
    /// Print `text` to standard output and exit successfully; `commandPath` names the command
    /// whose help was asked for with `-h`, `--help` or `help <subcommand>`.
    case help(commandPath: [String], text: String)
}
