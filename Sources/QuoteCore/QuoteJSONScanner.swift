/// A quick reader of the JSON Lines quotes that make up nearly every file: one object whose
/// values are strings, `null` or arrays of strings, read straight from the line's UTF-8.
///
/// `JSONSerialization` builds a dictionary of bridged values that `Quote(jsonObject:)` then
/// casts back, about 5 µs a line, most of an import's parsing. This reader answers only
/// when the line is such an object and makes a valid quote; for anything else (numbers,
/// nested objects, `\u` escapes, a repeated key, a missing field, a bad date, malformed
/// JSON) it answers nil and the caller takes the `JSONSerialization` path, which decides
/// and words every error as before. So it never accepts a line that path refuses, and
/// gives the same quote for every line it accepts (a test compares them).
enum QuoteJSONScanner {
    /// The quote of `line`, or nil when the line is not of the simple shape.
    static func quote(_ line: String) -> Quote? {
        var copy = line
        return copy.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.quote()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func quote() -> Quote? {
            var fields: [String?] = Array(repeating: nil, count: 5)  // text, speaker, date, source, lang
            var seen = [Bool](repeating: false, count: 6)
            var tags: [String] = []
            skipSpace()
            guard take(0x7B) else { return nil }  // {
            skipSpace()
            if !take(0x7D) {
                while true {
                    guard let key = string() else { return nil }
                    skipSpace()
                    guard take(0x3A) else { return nil }  // :
                    skipSpace()
                    let slot = Scanner.slot(of: key)
                    if let slot {
                        guard !seen[slot] else { return nil }
                        seen[slot] = true
                    }
                    if slot == 5 {
                        if takeNull() {
                            tags = []
                        } else {
                            guard let array = stringArray() else { return nil }
                            tags = array
                        }
                    } else if takeNull() {
                        if slot == 0 || slot == 1 { return nil }  // text or speaker null: a type error
                    } else {
                        guard let value = string() else { return nil }
                        if let slot { fields[slot] = value }
                    }
                    skipSpace()
                    if take(0x2C) {  // ,
                        skipSpace()
                        continue
                    }
                    guard take(0x7D) else { return nil }  // }
                    break
                }
            }
            skipSpace()
            guard position == bytes.count, let text = fields[0], let speaker = fields[1] else { return nil }
            var date: QuoteDate?
            if let dateText = fields[2], !dateText.isEmpty {
                guard let parsed = try? QuoteDate(parsing: dateText) else { return nil }
                date = parsed
            }
            let source = fields[3].flatMap { $0.isEmpty ? nil : $0 }
            let lang = fields[4].flatMap { $0.isEmpty ? nil : $0 }
            return Quote(text: text, speaker: speaker, date: date, source: source, lang: lang, tags: tags)
        }

        /// The field a key names (5 for tags), nil for one that is ignored.
        private static func slot(of key: String) -> Int? {
            switch key {
            case "text": 0
            case "speaker": 1
            case "date": 2
            case "source": 3
            case "lang": 4
            case "tags": 5
            default: nil
            }
        }

        private mutating func skipSpace() {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09
                || bytes[position] == 0x0A || bytes[position] == 0x0D {
                position += 1
            }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        private mutating func takeNull() -> Bool {
            guard bytes.count - position >= 4, bytes[position] == 0x6E, bytes[position + 1] == 0x75,
                  bytes[position + 2] == 0x6C, bytes[position + 3] == 0x6C else { return false }
            position += 4
            return true
        }

        /// An array of strings, possibly empty.
        private mutating func stringArray() -> [String]? {
            guard take(0x5B) else { return nil }  // [
            var strings: [String] = []
            skipSpace()
            if take(0x5D) { return strings }
            while true {
                guard let string = string() else { return nil }
                strings.append(string)
                skipSpace()
                if take(0x2C) {
                    skipSpace()
                    continue
                }
                return take(0x5D) ? strings : nil
            }
        }

        /// A string with no `\u` escape and no raw control character.
        private mutating func string() -> String? {
            guard take(0x22) else { return nil }
            let start = position
            // Most strings have no escape: their bytes are the string.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x22 {
                    defer { position += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                }
                if byte == 0x5C { break }
                if byte < 0x20 { return nil }
                position += 1
            }
            var unescaped = Array(bytes[start..<position])
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case 0x22: return String(decoding: unescaped, as: UTF8.self)
                case 0x5C:
                    guard position < bytes.count else { return nil }
                    let escaped = bytes[position]
                    position += 1
                    switch escaped {
                    case 0x22, 0x5C, 0x2F: unescaped.append(escaped)
                    case 0x62: unescaped.append(0x08)
                    case 0x66: unescaped.append(0x0C)
                    case 0x6E: unescaped.append(0x0A)
                    case 0x72: unescaped.append(0x0D)
                    case 0x74: unescaped.append(0x09)
                    default: return nil  // \u and anything else: the full parser's business
                    }
                case 0..<0x20: return nil
                default: unescaped.append(byte)
                }
            }
            return nil
        }
    }
}
