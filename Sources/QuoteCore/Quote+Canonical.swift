import Foundation

// Canonicalization uses Foundation for one thing, Unicode NFC (JSON lines, in Quote+JSON,
// is the core's other use, at its edge). Text below U+0300 (ASCII and most Latin
// letters), by far the common case, never reaches it.
extension Quote {
    /// Validates the quote and returns its canonical form, the form that is stored and hashed.
    ///
    /// Text: NFC; CR LF and CR become LF; on each line runs of spaces and tabs become one
    /// space and the line is trimmed; blank lines at the start and end are dropped.
    /// Speaker and source: NFC; every run of whitespace becomes one space; trimmed.
    /// Lang: lowercase. Tags: lowercase, NFC, whitespace collapsed, unique, sorted by bytes.
    public func canonicalized() throws(ValidationError) -> Quote {
        let text = Quote.canonicalText(self.text)
        guard !text.isEmpty else { throw .emptyText }
        guard text.utf8.count <= QuoteLimits.maxTextBytes else { throw .textTooLong(bytes: text.utf8.count) }
        guard !Quote.hasControlCharacter(text, allowNewline: true) else { throw .controlCharacter(field: "text") }

        let speaker = Quote.canonicalLine(self.speaker)
        guard !speaker.isEmpty else { throw .missingSpeaker }
        try Quote.check(speaker, field: "speaker", limit: QuoteLimits.maxSpeakerBytes)

        var source: String?
        if let raw = self.source {
            let line = Quote.canonicalLine(raw)
            if !line.isEmpty {
                try Quote.check(line, field: "source", limit: QuoteLimits.maxSourceBytes)
                source = line
            }
        }

        var lang: String?
        if let raw = self.lang {
            let trimmed = Quote.canonicalLine(raw.lowercased())
            if !trimmed.isEmpty {
                guard Quote.isLanguageTag(trimmed) else { throw .invalidLanguage(raw) }
                lang = trimmed
            }
        }

        var tagSet = Set<String>()
        for raw in self.tags {
            // Lowercase before normalizing: lowercasing can make a pair composable
            // (`J` + caron becomes `ǰ`), and the stored form must already be NFC.
            let tag = Quote.canonicalLine(raw.lowercased())
            guard !tag.isEmpty else { throw .invalidTag("an empty tag") }
            guard tag.utf8.count <= QuoteLimits.maxTagBytes else {
                throw .invalidTag("'\(tag.prefix(20))…' is over \(QuoteLimits.maxTagBytes) bytes")
            }
            guard !Quote.hasControlCharacter(tag, allowNewline: false) else { throw .controlCharacter(field: "tag") }
            tagSet.insert(tag)
        }
        guard tagSet.count <= QuoteLimits.maxTags else { throw .tooManyTags(count: tagSet.count) }
        let tags = tagSet.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }

        return Quote(text: text, speaker: speaker, date: date, source: source, lang: lang, tags: tags)
    }

    static func check(_ value: String, field: String, limit: Int) throws(ValidationError) {
        guard value.utf8.count <= limit else { throw .fieldTooLong(field: field, bytes: value.utf8.count, limit: limit) }
        guard !hasControlCharacter(value, allowNewline: false) else { throw .controlCharacter(field: field) }
    }

    static func normalized(_ string: String) -> String {
        if string.utf8.allSatisfy({ $0 < 0x80 }) { return string }
        return string.precomposedStringWithCanonicalMapping
    }

    static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// Collapses every whitespace run (newlines included) to one space and trims.
    static func canonicalLine(_ string: String) -> String {
        ByteCanonicalizer.line(string) ?? scalarCanonicalLine(string)
    }

    /// `canonicalLine` scalar by scalar: the reference the ASCII path must agree with.
    static func scalarCanonicalLine(_ string: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in normalized(string).unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func canonicalText(_ string: String) -> String {
        ByteCanonicalizer.text(string) ?? scalarCanonicalText(string)
    }

    /// `canonicalText` scalar by scalar: the reference the ASCII path must agree with.
    static func scalarCanonicalText(_ string: String) -> String {
        let unified = normalized(string)
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var pendingSpace = false
        var previousWasCR = false
        for scalar in unified.unicodeScalars {
            if scalar == "\n" && previousWasCR { previousWasCR = false; continue }
            previousWasCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
                pendingSpace = false
            } else if isWhitespace(scalar) {
                pendingSpace = !current.isEmpty
            } else {
                if pendingSpace { current.append(" ") }
                pendingSpace = false
                current.append(scalar)
            }
        }
        lines.append(String(current))
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Whether `string` holds a C0 or C1 control character or DEL (a newline is allowed in
    /// text). On bytes: C1 controls (U+0080-U+009F) are exactly C2 80 to C2 9F in UTF-8.
    static func hasControlCharacter(_ string: String, allowNewline: Bool) -> Bool {
        var copy = string
        return copy.withUTF8 { utf8 -> Bool in
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                if (byte < 0x20 && !(allowNewline && byte == 0x0A)) || byte == 0x7F { return true }
                if byte == 0xC2 && index + 1 < utf8.count && utf8[index + 1] < 0xA0 { return true }
                index += 1
            }
            return false
        }
    }

    /// Accepts BCP 47 shapes: 2-3 letters, then optional `-` subtags of 1-8 letters or digits.
    static func isLanguageTag(_ tag: String) -> Bool {
        guard tag.utf8.count <= QuoteLimits.maxLanguageBytes else { return false }
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.utf8.count),
              primary.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.utf8.count)
                && part.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
        }
    }
}
