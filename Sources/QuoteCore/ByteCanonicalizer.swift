/// The canonical form of `Quote+Canonical.swift`, computed on bytes for text whose
/// scalars all lie below U+0300: ASCII and the Latin letters of most European languages.
///
/// Most quotes are such text, and the scalar-by-scalar path (NFC through Foundation, then a
/// Unicode property lookup per character) was half the cost of an ADD. Below U+0300 every
/// scalar is its own NFC form (combining marks start at U+0300) and none combines with its
/// neighbour, so the text is already NFC; and the only whitespace there beyond space, tab,
/// LF, VT, FF and CR is U+0085 and U+00A0, which send the text to the scalar path. So
/// working on bytes gives the same result.
enum ByteCanonicalizer {
    static func isHorizontalSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    /// Whether the byte path applies: every scalar below U+0300 (a UTF-8 lead byte below
    /// 0xCC) and neither U+0085 nor U+00A0 (C2 85, C2 A0), the only non-ASCII whitespace there.
    static func applies(to utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x80 {
                if byte >= 0xCC { return false }
                if byte == 0xC2 && index + 1 < count && (utf8[index + 1] == 0x85 || utf8[index + 1] == 0xA0) { return false }
            }
            index += 1
        }
        return true
    }

    /// `canonicalLine` on bytes: every whitespace run becomes one space; trimmed. Nil when
    /// the byte path does not apply.
    static func line(_ string: String) -> String? {
        var copy = string
        return copy.withUTF8 { utf8 -> String? in
            guard applies(to: utf8) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count)
            var pendingSpace = false
            for byte in utf8 {
                if isHorizontalSpace(byte) || byte == 0x0A || byte == 0x0D {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20) }
                    pendingSpace = false
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `canonicalText` on bytes: CR LF and CR become LF, each line's whitespace runs become
    /// one space and the line is trimmed, blank lines at both ends are dropped. Nil when the
    /// byte path does not apply.
    static func text(_ string: String) -> String? {
        var copy = string
        return copy.withUTF8 { utf8 -> String? in
            guard applies(to: utf8) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count)
            // Where the current line starts in `out`, and whether it has content yet.
            var lineStart = 0
            var pendingSpace = false
            var previousWasCR = false
            // Newlines owed before the next non-blank line; none before the first one.
            var pendingNewlines = 0
            var sawContent = false
            for byte in utf8 {
                if byte == 0x0A && previousWasCR { previousWasCR = false; continue }
                previousWasCR = byte == 0x0D
                if byte == 0x0A || byte == 0x0D {
                    if sawContent { pendingNewlines += 1 }
                    lineStart = out.count
                    pendingSpace = false
                } else if isHorizontalSpace(byte) {
                    pendingSpace = out.count > lineStart
                } else {
                    if out.count == lineStart && pendingNewlines > 0 {
                        out.append(contentsOf: repeatElement(0x0A, count: pendingNewlines))
                        lineStart = out.count
                        pendingNewlines = 0
                    }
                    if pendingSpace { out.append(0x20) }
                    pendingSpace = false
                    out.append(byte)
                    sawContent = true
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
