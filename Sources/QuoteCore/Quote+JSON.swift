import Foundation

// JSON Lines, the archive's interchange format: `quotes import`, `quotes export`, `--json`
// output and the server's seed file. One quote is one JSON object on one line:
//
//   {"id":"…","text":"…","speaker":"…","date":"2025-06","source":"…","lang":"fr",
//    "tags":["ai"],"added":"2025-06-28T09:14:03.120Z","origin":"00000000000000a1"}
//
// Output keys come in exactly that order; `date`, `source` and `lang` are left out when
// absent, `tags` is always there. On input only text, speaker, date, source, lang and tags
// count: `id`, `added` and `origin` are what a server computed, so they are ignored, and
// unknown keys are ignored so that files with extra fields still load. Importing an export
// therefore stores the same canonical quotes, which hash to the same ids.
//
// Foundation stays at this edge: JSONSerialization parses what `QuoteJSONScanner` (the
// common shape, read from the bytes) leaves to it, and the writer below is a small
// hand-written one because JSONSerialization neither keeps key order nor leaves `/` alone.

/// Why a JSON object or line does not describe a quote.
public enum QuoteJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line is not JSON at all; the associated text is the parser's reason.
    case invalidJSON(String)
    /// The line is JSON but not an object; the associated text shows what it is.
    case notAnObject(found: String)
    /// A required key (`text` or `speaker`) is absent.
    case missingField(String)
    /// A key holds a value of the wrong type.
    case wrongType(field: String, expected: String, found: String)
    /// The `date` key holds a string that is not an existing `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    case invalidDate(String)

    public var description: String {
        switch self {
        case let .invalidJSON(reason): return "not valid JSON: \(reason)"
        case let .notAnObject(found): return "expected a JSON object, found \(found)"
        case let .missingField(field): return "missing field '\(field)'"
        case let .wrongType(field, expected, found): return "field '\(field)' must be \(expected), found \(found)"
        case let .invalidDate(reason): return "field 'date': \(reason)"
        }
    }
}

extension Quote {
    /// Parses one line of JSON Lines into a raw quote (call `canonicalized()` before storing).
    ///
    /// Accepts an object with `text` and `speaker` (strings, required), `date` (`"YYYY"`,
    /// `"YYYY-MM"` or `"YYYY-MM-DD"`), `source`, `lang` (strings) and `tags` (an array of
    /// strings). `null` or `""` leaves an optional field absent; other keys, `id` included,
    /// are ignored, since a quote's id is always computed from its content.
    public static func parseJSONLine(_ line: String) throws(QuoteJSONError) -> Quote {
        // The common shape is read directly; everything else, errors included, goes
        // through JSONSerialization as it always did.
        if let quote = QuoteJSONScanner.quote(line) { return quote }
        return try parseWithJSONSerialization(line)
    }

    /// `parseJSONLine(_:)` through JSONSerialization alone: every shape, every error.
    static func parseWithJSONSerialization(_ line: String) throws(QuoteJSONError) -> Quote {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw .invalidJSON(reason ?? error.localizedDescription)
        }
        guard let object = parsed as? [String: Any] else { throw .notAnObject(found: Quote.describe(parsed)) }
        return try Quote(jsonObject: object)
    }

    /// Reads a quote from a JSON object as `JSONSerialization` returns it; see `parseJSONLine(_:)`.
    public init(jsonObject object: [String: Any]) throws(QuoteJSONError) {
        let text = try Quote.requiredString("text", in: object)
        let speaker = try Quote.requiredString("speaker", in: object)
        var date: QuoteDate?
        if let dateText = try Quote.optionalString("date", in: object) {
            do {
                date = try QuoteDate(parsing: dateText)
            } catch {
                throw .invalidDate(error.description)
            }
        }
        var tags: [String] = []
        if let value = object["tags"], !(value is NSNull) {
            guard let array = value as? [Any], let strings = array as? [String] else {
                throw .wrongType(field: "tags", expected: "an array of strings", found: Quote.describe(value))
            }
            tags = strings
        }
        self.init(
            text: text, speaker: speaker, date: date, source: try Quote.optionalString("source", in: object),
            lang: try Quote.optionalString("lang", in: object), tags: tags)
    }

    private static func requiredString(_ key: String, in object: [String: Any]) throws(QuoteJSONError) -> String {
        guard let value = object[key] else { throw .missingField(key) }
        guard let string = value as? String else {
            throw .wrongType(field: key, expected: "a string", found: describe(value))
        }
        return string
    }

    private static func optionalString(_ key: String, in object: [String: Any]) throws(QuoteJSONError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else {
            throw .wrongType(field: key, expected: "a string", found: describe(value))
        }
        return string.isEmpty ? nil : string
    }

    /// A short rendering of a JSON value for error messages: `42`, `true`, `["a"]`.
    private static func describe(_ value: Any) -> String {
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        let text = data.map { String(decoding: $0, as: UTF8.self) } ?? String(describing: value)
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }
}

extension Quote {
    /// The quote as one line of JSON Lines, without a newline: text, speaker, date, source,
    /// lang, tags in that order, `date`, `source` and `lang` absent when nil. What
    /// `parseJSONLine(_:)` reads back.
    public var jsonLine: String { JSONWriter.line(jsonFields) }

    /// The fields in output order.
    var jsonFields: [(String, JSONWriter.Value)] {
        var fields: [(String, JSONWriter.Value)] = [("text", .string(text)), ("speaker", .string(speaker))]
        if let date { fields.append(("date", .string(date.description))) }
        if let source { fields.append(("source", .string(source))) }
        if let lang { fields.append(("lang", .string(lang))) }
        fields.append(("tags", .strings(tags)))
        return fields
    }
}

extension ArchivedQuote {
    /// The quote as a JSON object with the keys of `jsonLine`, for callers that build larger documents.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [:]
        for (key, value) in jsonFields {
            switch value {
            case let .string(string): object[key] = string
            case let .strings(strings): object[key] = strings
            }
        }
        return object
    }

    /// The quote as one line of JSON Lines, without a newline, keys in a fixed order:
    /// id, text, speaker, date, source, lang, tags, added (ISO 8601, UTC, milliseconds), origin
    /// (16 hex digits). `date`, `source` and `lang` are absent when the quote has none.
    public var jsonLine: String { JSONWriter.line(jsonFields) }

    /// The fields in output order; the one list both renderings walk.
    private var jsonFields: [(String, JSONWriter.Value)] {
        let origin = Hex.encode(withUnsafeBytes(of: origin.bigEndian) { Array($0) })
        return [("id", .string(id.description))] + quote.jsonFields + [
            ("added", .string(JSONWriter.iso8601(milliseconds: timestamp.milliseconds))),
            ("origin", .string(origin)),
        ]
    }
}

/// The pieces of JSON output that JSONSerialization cannot produce in a fixed key order.
enum JSONWriter {
    /// The only value shapes a quote needs.
    enum Value {
        case string(String)
        case strings([String])
    }

    /// One JSON object holding `fields` in order.
    static func line(_ fields: [(String, Value)]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            switch value {
            case let .string(string):
                appendString(string, to: &out)
            case let .strings(strings):
                out.append(UInt8(ascii: "["))
                for (position, string) in strings.enumerated() {
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    appendString(string, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `string` as a JSON string literal. Non-ASCII stays UTF-8; control characters
    /// and U+2028/U+2029 (line breaks to JavaScript) are escaped.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: #"\""#.utf8)
            case "\\": out.append(contentsOf: #"\\"#.utf8)
            case "\n": out.append(contentsOf: #"\n"#.utf8)
            case "\r": out.append(contentsOf: #"\r"#.utf8)
            case "\t": out.append(contentsOf: #"\t"#.utf8)
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let digits = Hex.encode([UInt8(scalar.value >> 8 & 0xFF), UInt8(scalar.value & 0xFF)])
                out.append(contentsOf: ("\\u" + digits).utf8)
            default:
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `2025-06-28T09:14:03.120Z` for milliseconds since the Unix epoch.
    static func iso8601(milliseconds: UInt64) -> String {
        let days = Int(milliseconds / 86_400_000)
        let millisecondOfDay = Int(milliseconds % 86_400_000)
        // Days to civil date, after Howard Hinnant's `civil_from_days`, for days >= 0.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let seconds = millisecondOfDay / 1000
        return QuoteDate.pad(year, 4) + "-" + QuoteDate.pad(month, 2) + "-" + QuoteDate.pad(day, 2)
            + "T" + QuoteDate.pad(seconds / 3600, 2) + ":" + QuoteDate.pad(seconds / 60 % 60, 2)
            + ":" + QuoteDate.pad(seconds % 60, 2) + "." + QuoteDate.pad(millisecondOfDay % 1000, 3) + "Z"
    }
}
