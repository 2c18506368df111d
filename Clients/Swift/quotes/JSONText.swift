import Foundation

/// One-line JSON objects with keys in the order given, for `--json` output other than quotes
/// (quotes have `ArchivedQuote.jsonLine`). JSONSerialization writes each value, so escaping
/// is Foundation's, and stitching keeps the order it would lose.
enum JSONText {
    /// `{"key":value,...}`; values are strings, numbers, booleans, arrays or dictionaries.
    static func object(_ fields: [(String, Any)]) -> String {
        "{" + fields.map { value($0.0) + ":" + value($0.1) }.joined(separator: ",") + "}"
    }

    /// One JSON value.
    static func value(_ value: Any) -> String {
        let options: JSONSerialization.WritingOptions = [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: options) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
