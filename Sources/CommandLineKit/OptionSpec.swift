/// A named option a command accepts: a flag such as `--json` or an option with a value such as `--limit 5`.
///
/// Names are given without dashes: `name` is matched as `--name` and `shortName` as `-n`.
/// `-h` and `--help` are reserved for help and checked before any declared option.
public struct OptionSpec: Sendable, Equatable {
    /// How many values an option takes.
    public enum Kind: Sendable, Equatable {
        /// Takes no value; present or absent.
        case flag
        /// Takes one value; when given more than once, the last one wins.
        case single
        /// Takes one value each time and may be given any number of times.
        case repeatable
    }

    /// The long name without dashes, such as `max-connections`.
    public var name: String
    /// The one-character short name without the dash, if any.
    public var shortName: Character?
    /// The placeholder shown for the value in help, such as `HOST:PORT`; the long name when nil.
    public var valueName: String?
    /// One sentence describing the option.
    public var help: String
    /// Whether the option is a flag, takes one value, or can be repeated.
    public var kind: Kind
    /// Whether parsing fails when the option is absent; meaningful for options with values.
    public var isRequired: Bool
    /// The value used when the option is absent, also shown in help.
    public var defaultValue: String?
    /// The only values accepted, such as `always`, `interval`, `never`; any value when nil.
    public var allowedValues: [String]?

    /// Creates an option; the static factories `flag`, `single` and `repeatable` read better.
    public init(
        name: String, shortName: Character? = nil, valueName: String? = nil, help: String,
        kind: Kind, isRequired: Bool = false, defaultValue: String? = nil, allowedValues: [String]? = nil
    ) {
        self.name = name
        self.shortName = shortName
        self.valueName = valueName
        self.help = help
        self.kind = kind
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
    }

    /// A flag such as `--json`, which takes no value.
    public static func flag(_ name: String, short shortName: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, shortName: shortName, help: help, kind: .flag)
    }

    /// An option taking one value, such as `--limit 5` or `--limit=5`.
    public static func single(
        _ name: String, short shortName: Character? = nil, valueName: String? = nil, help: String,
        isRequired: Bool = false, defaultValue: String? = nil, allowedValues: [String]? = nil
    ) -> OptionSpec {
        OptionSpec(
            name: name, shortName: shortName, valueName: valueName, help: help, kind: .single,
            isRequired: isRequired, defaultValue: defaultValue, allowedValues: allowedValues)
    }

    /// An option that may be given several times, such as `--tag a --tag b`.
    public static func repeatable(
        _ name: String, short shortName: Character? = nil, valueName: String? = nil, help: String,
        isRequired: Bool = false, defaultValue: String? = nil, allowedValues: [String]? = nil
    ) -> OptionSpec {
        OptionSpec(
            name: name, shortName: shortName, valueName: valueName, help: help, kind: .repeatable,
            isRequired: isRequired, defaultValue: defaultValue, allowedValues: allowedValues)
    }

    /// The long form as typed: `--name`.
    public var longForm: String { "--" + name }

    /// The value placeholder as shown in usage and help: `<HOST:PORT>`.
    var valuePlaceholder: String { "<" + (valueName ?? name) + ">" }

    /// The option as shown in the OPTIONS section: `-s, --speaker <name>`.
    var helpLabel: String {
        var label = shortName.map { "-\($0), " } ?? ""
        label += longForm
        if kind != .flag { label += " " + valuePlaceholder }
        return label
    }

    /// The option as shown in the usage line: `[--tag <tag> ...]`, `--speaker <name>`.
    var synopsis: String {
        var text = longForm
        if kind != .flag { text += " " + valuePlaceholder }
        if kind == .repeatable { text += " ..." }
        return isRequired && kind != .flag ? text : "[" + text + "]"
    }

    /// The help sentence followed by the allowed values and the default, in the layout of
    /// swift-argument-parser: `(values: always, interval, never; default: interval)`.
    var helpWithNotes: String {
        var notes: [String] = []
        if let allowedValues { notes.append("values: " + allowedValues.joined(separator: ", ")) }
        if let defaultValue { notes.append("default: " + defaultValue) }
        guard !notes.isEmpty else { return help }
        let suffix = "(" + notes.joined(separator: "; ") + ")"
        return help.isEmpty ? suffix : help + " " + suffix
    }
}
