/// Walks a command line once, left to right, selecting subcommands and collecting values.
struct CommandLineParser {
    /// The declarations from the root to the command selected so far.
    private var path: [CommandSpec]
    private let arguments: [String]
    private var index = 0
    private var optionsEnded = false
    private var helpRequested = false
    private var optionValues: [String: [String]] = [:]
    private var positionals: [String] = []

    init(root: CommandSpec, arguments: [String]) {
        self.path = [root]
        self.arguments = arguments
    }

    mutating func parse() throws(UsageError) -> ParseResult {
        do throws(UsageError) {
            if let help = try scan() { return help }
            if helpRequested { return help(for: path) }
            return .command(try finish())
        } catch {
            // Asking for help must work even on a line that does not parse yet, since that
            // is when people ask.
            if helpRequested || remainingTokensRequestHelp() { return help(for: path) }
            throw error
        }
    }

    /// Consumes every token; returns early only for `help <subcommand>`.
    private mutating func scan() throws(UsageError) -> ParseResult? {
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if optionsEnded || !CommandLineParser.looksLikeOption(token) {
                if let help = try handlePositional(token) { return help }
            } else if token == "--" {
                optionsEnded = true
            } else if token == "-h" || token == "--help" {
                helpRequested = true
            } else {
                try handleOption(token)
            }
        }
        return nil
    }

    private mutating func handlePositional(_ token: String) throws(UsageError) -> ParseResult? {
        let current = path[path.count - 1]
        guard !current.subcommands.isEmpty else {
            positionals.append(token)
            return nil
        }
        if let subcommand = current.subcommands.first(where: { $0.name == token }) {
            path.append(subcommand)
            return nil
        }
        if token == "help" { return try helpSubcommand() }
        throw unknownCommand(token, in: current)
    }

    /// Resolves `help a b` to the help of subcommand `a b`, ignoring option-like tokens.
    private mutating func helpSubcommand() throws(UsageError) -> ParseResult {
        var target = path
        for token in arguments[index...] where !CommandLineParser.looksLikeOption(token) {
            let current = target[target.count - 1]
            guard let subcommand = current.subcommands.first(where: { $0.name == token }) else {
                if current.subcommands.isEmpty { break }
                path = target
                throw unknownCommand(token, in: current)
            }
            target.append(subcommand)
        }
        return help(for: target)
    }

    private mutating func handleOption(_ token: String) throws(UsageError) {
        let isLong = token.hasPrefix("--")
        var name = String(token.dropFirst(isLong ? 2 : 1))
        var inlineValue: String?
        if isLong, let equals = name.firstIndex(of: "=") {
            inlineValue = String(name[name.index(after: equals)...])
            name = String(name[..<equals])
        }
        let form = isLong ? "--" + name : token
        guard let option = lookUp(name, isLong: isLong) else { throw unknownOption(form, name: name) }

        guard option.kind != .flag else {
            if inlineValue != nil { throw error("The option '\(form)' does not take a value") }
            optionValues[option.name, default: []].append("")
            return
        }
        let value: String
        if let inlineValue {
            value = inlineValue
        } else if index < arguments.count, !CommandLineParser.looksLikeOption(arguments[index]) {
            value = arguments[index]
            index += 1
        } else {
            throw error("Missing value for option '\(form)'")
        }
        if let allowed = option.allowedValues, !allowed.contains(value) {
            throw error(
                "Invalid value '\(value)' for '\(form)': expected one of \(allowed.joined(separator: ", "))")
        }
        optionValues[option.name, default: []].append(value)
    }

    /// Finds an option by long or short name, the selected command's own before its ancestors'.
    private func lookUp(_ name: String, isLong: Bool) -> OptionSpec? {
        for command in path.reversed() {
            let match = command.options.first { option in
                isLong ? option.name == name : option.shortName.map(String.init) == name
            }
            if let match { return match }
        }
        return nil
    }

    private func finish() throws(UsageError) -> ParsedCommand {
        let command = path[path.count - 1]
        if !command.subcommands.isEmpty { throw error("Missing expected argument '<subcommand>'") }
        var visibleOptions: [String: OptionSpec] = [:]
        for ancestor in path {
            for option in ancestor.options {
                visibleOptions[option.name] = option
            }
        }
        // Declaration order, so the first missing option reported is stable.
        for option in path.flatMap(\.options) where visibleOptions[option.name] == option {
            if option.isRequired && option.kind != .flag && optionValues[option.name] == nil {
                throw error("Missing expected argument '\(option.longForm) \(option.valuePlaceholder)'")
            }
        }
        return ParsedCommand(
            commandPath: path.map(\.name), command: command, positionals: positionals,
            visibleOptions: visibleOptions, optionValues: optionValues,
            argumentValues: try assignPositionals(to: command.arguments))
    }

    /// Hands positional values to arguments in order; an optional or variadic argument only
    /// takes values that the required arguments after it can spare.
    private func assignPositionals(to specs: [ArgumentSpec]) throws(UsageError) -> [String: [String]] {
        var assigned: [String: [String]] = [:]
        var remaining = positionals[...]
        for (position, spec) in specs.enumerated() {
            let requiredAfter = specs[(position + 1)...].filter { $0.kind == .required }.count
            let spare = max(0, remaining.count - requiredAfter)
            let taken: Int
            switch spec.kind {
            case .required:
                guard !remaining.isEmpty else { throw error("Missing expected argument '\(spec.helpLabel)'") }
                taken = 1
            case .optional:
                taken = min(1, spare)
            case .variadic:
                taken = spare
            }
            if taken > 0 { assigned[spec.name] = Array(remaining.prefix(taken)) }
            remaining = remaining.dropFirst(taken)
        }
        if let unexpected = remaining.first { throw error("Unexpected argument '\(unexpected)'") }
        return assigned
    }

    private func remainingTokensRequestHelp() -> Bool {
        guard !optionsEnded else { return false }
        for token in arguments[index...] {
            if token == "--" { return false }
            if token == "-h" || token == "--help" { return true }
        }
        return false
    }

    private func help(for target: [CommandSpec]) -> ParseResult {
        let commandPath = target.map(\.name)
        return .help(commandPath: commandPath, text: target[target.count - 1].helpText(commandPath: commandPath))
    }

    private func error(_ message: String) -> UsageError {
        let commandPath = path.map(\.name)
        return UsageError(
            message: message, usage: path[path.count - 1].usage(commandPath: commandPath), commandPath: commandPath)
    }

    private func unknownCommand(_ token: String, in command: CommandSpec) -> UsageError {
        let candidates = command.subcommands.map(\.name) + ["help"]
        var message = "Unknown command '\(token)'."
        if let suggestion = EditDistance.suggestion(for: token, among: candidates) {
            message += " Did you mean '\(suggestion)'?"
        }
        return error(message)
    }

    private func unknownOption(_ form: String, name: String) -> UsageError {
        var message = "Unknown option '\(form)'."
        // A single dash before a long name (`-speaker`) is a typo worth correcting too.
        if name.count > 1 {
            let candidates = path.flatMap { $0.options.map(\.name) } + ["help"]
            if let suggestion = EditDistance.suggestion(for: name, among: candidates) {
                message += " Did you mean '--\(suggestion)'?"
            }
        }
        return error(message)
    }

    /// Whether a token is an option or `--` rather than a value; `-` (standard input) and
    /// negative numbers are values.
    static func looksLikeOption(_ token: String) -> Bool {
        let body = token.utf8.dropFirst()
        guard token.utf8.first == UInt8(ascii: "-"), let first = body.first else { return false }
        return !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
    }
}
