/// A successfully parsed command line: the selected command, its option values and its arguments.
///
/// Accessors take names without dashes and trap on names the selected command and its
/// ancestors do not declare, since such a name is a bug in the executable, not a user error.
/// Options the user did not give fall back to their declared default value.
public struct ParsedCommand: Sendable, Equatable {
    /// The names typed to reach the selected command, starting with the root: `["quotes", "search"]`.
    public let commandPath: [String]
    /// The selected command's declaration.
    public let command: CommandSpec
    /// The positional values given to the selected command, in order, including those after `--`.
    public let positionals: [String]

    /// The options visible to the selected command, by long name; its own shadow its ancestors'.
    let visibleOptions: [String: OptionSpec]
    /// The values given for each option by long name; a flag holds one empty string per occurrence.
    let optionValues: [String: [String]]
    /// The positional values assigned to each declared argument by name.
    let argumentValues: [String: [String]]

    /// The selected command's path below the root: `["search"]`, or empty for the root itself.
    public var subcommandPath: [String] { Array(commandPath.dropFirst()) }

    /// Whether the flag was given at least once.
    public func flag(_ name: String) -> Bool {
        _ = option(name)
        return optionValues[name] != nil
    }

    /// Whether the option was given on the command line (not merely defaulted).
    public func isGiven(_ name: String) -> Bool {
        _ = option(name)
        return optionValues[name] != nil
    }

    /// The option's value, the last one when given several times, else its default.
    public func value(_ name: String) -> String? {
        let option = option(name)
        return optionValues[name]?.last ?? option.defaultValue
    }

    /// Every value given for the option in order, else its default alone, else none.
    public func values(_ name: String) -> [String] {
        let option = option(name)
        if let given = optionValues[name] { return given }
        return option.defaultValue.map { [$0] } ?? []
    }

    /// The value of a required or optional positional argument.
    public func argument(_ name: String) -> String? {
        precondition(declaresArgument(name), "'\(name)' is not an argument of '\(pathText)'")
        return argumentValues[name]?.first
    }

    /// The values of a positional argument; for a variadic one, every value it took.
    public func arguments(_ name: String) -> [String] {
        precondition(declaresArgument(name), "'\(name)' is not an argument of '\(pathText)'")
        return argumentValues[name] ?? []
    }

    /// The option's value as an integer, optionally within `range`; nil when absent without default.
    public func int(_ name: String, in range: ClosedRange<Int>? = nil) throws(UsageError) -> Int? {
        let expected = range.map { "an integer from \($0.lowerBound) to \($0.upperBound)" } ?? "an integer"
        return try value(name, expected: expected) { text in
            guard let number = Int(text) else { return nil }
            if let range, !range.contains(number) { return nil }
            return number
        }
    }

    /// The option's value converted by `convert`, which returns nil for values it rejects;
    /// `expected` completes the error message `... expected <expected>`.
    public func value<Converted>(
        _ name: String, expected: String, _ convert: (String) -> Converted?
    ) throws(UsageError) -> Converted? {
        guard let text = value(name) else { return nil }
        guard let converted = convert(text) else { throw invalidValue(text, for: name, expected: expected) }
        return converted
    }

    /// Every value of the option converted by `convert`; the first rejected value is the error.
    public func values<Converted>(
        _ name: String, expected: String, _ convert: (String) -> Converted?
    ) throws(UsageError) -> [Converted] {
        var converted: [Converted] = []
        for text in values(name) {
            guard let value = convert(text) else { throw invalidValue(text, for: name, expected: expected) }
            converted.append(value)
        }
        return converted
    }

    /// An error about this command line carrying the selected command's usage, for checks
    /// the declaration cannot express.
    public func usageError(_ message: String) -> UsageError {
        UsageError(message: message, usage: command.usage(commandPath: commandPath), commandPath: commandPath)
    }

    /// The error for a value an option does not accept, worded like the parser's own.
    public func invalidValue(_ value: String, for name: String, expected: String) -> UsageError {
        usageError("Invalid value '\(value)' for '--\(name)': expected \(expected)")
    }

    private var pathText: String { commandPath.joined(separator: " ") }

    private func option(_ name: String) -> OptionSpec {
        guard let option = visibleOptions[name] else {
            preconditionFailure("'\(name)' is not an option of '\(pathText)'")
        }
        return option
    }

    private func declaresArgument(_ name: String) -> Bool {
        command.arguments.contains { $0.name == name }
    }
}
