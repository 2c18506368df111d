/// A JSON value with ordered keys, rendered the same way every time, so that
/// Protocol/vectors/vectors.json can be compared with what the catalog generates.
///
/// Integers are exact `UInt64`s: a JSON reader must not squeeze them through a double.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(UInt64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    /// A string, or null when absent.
    static func optional(_ string: String?) -> JSONValue { string.map(JSONValue.string) ?? .null }

    /// The value as text: two-space indentation, one key or element per line, except that
    /// arrays holding only strings and numbers stay on one line.
    func rendered(indent: Int = 0) -> String {
        let padding = String(repeating: " ", count: indent + 2)
        let closing = String(repeating: " ", count: indent)
        switch self {
        case .null: return "null"
        case let .bool(value): return value ? "true" : "false"
        case let .integer(value): return String(value)
        case let .string(value): return JSONValue.quoted(value)
        case let .array(items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]" }
            return "[\n" + items.map { padding + $0.rendered(indent: indent + 2) }.joined(separator: ",\n") + "\n" + closing + "]"
        case let .object(members):
            if members.isEmpty { return "{}" }
            let lines = members.map { padding + JSONValue.quoted($0.0) + ": " + $0.1.rendered(indent: indent + 2) }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + closing + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// A JSON string literal: UTF-8 kept as is, quotes, backslashes and controls escaped.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
