/// The canonical form of `Quote+Canonical.swift`, computed on bytes for pure-ASCII input.
///
/// Most quotes are ASCII, and the scalar-by-scalar path (a Unicode property lookup per
/// character) was half the cost of an ADD. ASCII is already NFC, and its whitespace is
/// exactly space, tab, LF, VT, FF and CR, so working on bytes gives the same result.
enum ASCIICanonicalizer {
    static func isHorizontalSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    /// `canonicalLine` for ASCII: every whitespace run becomes one space; trimmed. Nil when
    /// the string is not pure ASCII.
    static func line(_ string: String) -> String? {
        var copy = string
        return copy.withUTF8 { utf8 -> String? in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
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

    /// `canonicalText` for ASCII: CR LF and CR become LF, each line's whitespace runs become
    /// one space and the line is trimmed, blank lines at both ends are dropped. Nil when the
    /// string is not pure ASCII.
    static func text(_ string: String) -> String? {
        var copy = string
        return copy.withUTF8 { utf8 -> String? in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
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
