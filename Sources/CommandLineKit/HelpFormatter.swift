/// Renders help text and usage lines in the layout of swift-argument-parser, 80 columns wide.
struct HelpFormatter {
    /// The total width every line fits in.
    static let width = 80
    /// Where option and argument descriptions start, as in swift-argument-parser.
    static let descriptionColumn = 26
    /// The indentation of labels under a section heading.
    static let labelIndent = 2
    /// The width of `USAGE: ` and `Usage: `, which continuation lines of the usage align under.
    static let usagePrefixWidth = 7

    let command: CommandSpec
    let commandPath: [String]

    func helpText() -> String {
        var sections: [String] = []
        if !command.abstract.isEmpty {
            sections.append(HelpFormatter.wrap("OVERVIEW: " + command.abstract, width: HelpFormatter.width))
        }
        if let discussion = command.discussion, !discussion.isEmpty {
            sections.append(HelpFormatter.wrap(discussion, width: HelpFormatter.width))
        }
        sections.append("USAGE: " + usage())
        if !command.arguments.isEmpty {
            let rows = command.arguments.map { ($0.helpLabel, $0.help) }
            sections.append("ARGUMENTS:\n" + HelpFormatter.table(rows))
        }
        let optionRows = command.options.map { ($0.helpLabel, $0.helpWithNotes) }
        sections.append("OPTIONS:\n" + HelpFormatter.table(optionRows + [("-h, --help", "Show help information.")]))
        if !command.subcommands.isEmpty {
            let rows = command.subcommands.map { ($0.name, $0.abstract) }
            let pointer = "  See '\(commandPath.joined(separator: " ")) help <subcommand>' for detailed help."
            sections.append("SUBCOMMANDS:\n" + HelpFormatter.table(rows) + "\n\n" + pointer)
        }
        return sections.joined(separator: "\n\n")
    }

    /// The command path, then option synopses, then `<subcommand>` or the argument synopses,
    /// wrapped between units so that `[--limit <n>]` never breaks.
    func usage() -> String {
        var units = [commandPath.joined(separator: " ")]
        units += command.options.map(\.synopsis)
        if command.subcommands.isEmpty {
            units += command.arguments.map(\.synopsis)
        } else {
            units.append("<subcommand>")
        }
        let indent = String(repeating: " ", count: HelpFormatter.usagePrefixWidth)
        var lines: [String] = []
        var line = ""
        for unit in units {
            if line.isEmpty {
                line = unit
            } else if HelpFormatter.usagePrefixWidth + line.count + 1 + unit.count <= HelpFormatter.width {
                line += " " + unit
            } else {
                lines.append(line)
                line = unit
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n" + indent)
    }

    /// Two columns: labels indented under the heading, descriptions from `descriptionColumn`;
    /// a label too wide for its column puts its description on the next line.
    static func table(_ rows: [(label: String, description: String)]) -> String {
        let descriptionWidth = width - descriptionColumn
        let hangingIndent = String(repeating: " ", count: descriptionColumn)
        return rows.map { row in
            let label = String(repeating: " ", count: labelIndent) + row.label
            guard !row.description.isEmpty else { return label }
            let description = wrap(row.description, width: descriptionWidth)
                .split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: "\n" + hangingIndent)
            if label.count < descriptionColumn {
                return label + String(repeating: " ", count: descriptionColumn - label.count) + description
            }
            return label + "\n" + hangingIndent + description
        }.joined(separator: "\n")
    }

    /// Greedy word wrap; each input line wraps on its own and keeps its leading indentation,
    /// so discussions can hold lists and examples. A word longer than the width is not split.
    static func wrap(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { inputLine in
            let indent = String(inputLine.prefix { $0 == " " })
            var lines: [String] = []
            var line = ""
            for word in inputLine.split(separator: " ") {
                if line.isEmpty {
                    line = indent + word
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = indent + word
                }
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
