/// A positional argument a command accepts, such as `<id>` or `<words> ...`.
public struct ArgumentSpec: Sendable, Equatable {
    /// How many values a positional argument takes.
    public enum Kind: Sendable, Equatable {
        /// Exactly one value; parsing fails without it.
        case required
        /// Zero or one value.
        case optional
        /// Zero or more values; at most one per command makes sense.
        case variadic
    }

    /// The name shown in usage and help, without angle brackets.
    public var name: String
    /// One sentence describing the argument.
    public var help: String
    /// Whether the argument is required, optional or variadic.
    public var kind: Kind

    /// Creates a positional argument; the static factories read better.
    public init(name: String, help: String, kind: Kind) {
        self.name = name
        self.help = help
        self.kind = kind
    }

    /// An argument that must be given.
    public static func required(_ name: String, help: String) -> ArgumentSpec {
        ArgumentSpec(name: name, help: help, kind: .required)
    }

    /// An argument that may be omitted.
    public static func optional(_ name: String, help: String) -> ArgumentSpec {
        ArgumentSpec(name: name, help: help, kind: .optional)
    }

    /// An argument that takes every remaining positional value, possibly none.
    public static func variadic(_ name: String, help: String) -> ArgumentSpec {
        ArgumentSpec(name: name, help: help, kind: .variadic)
    }

    /// The argument as shown in the ARGUMENTS section: `<id>`.
    var helpLabel: String { "<" + name + ">" }

    /// The argument as shown in the usage line: `<id>`, `[<id>]` or `[<words> ...]`.
    var synopsis: String {
        switch kind {
        case .required: return helpLabel
        case .optional: return "[" + helpLabel + "]"
        case .variadic: return "[" + helpLabel + " ...]"
        }
    }
}
