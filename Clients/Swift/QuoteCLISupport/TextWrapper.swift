// Word wrapping for terminal output, measured in terminal columns rather than characters:
// CJK ideographs, Hangul and most emoji take two columns, so counting characters would run
// Chinese or Japanese text past the right edge.

/// Greedy word wrap to a column width, with prefixes for first and continuation lines.
public enum TextWrapper {
    /// Wraps `text` so no line is wider than `width` columns, unless a single word is.
    ///
    /// Each line of the input wraps on its own, so poems and dialogue keep their breaks.
    /// The very first output line starts with `firstPrefix`, every other with
    /// `continuationPrefix`; runs of spaces and tabs between words become one space.
    public static func wrap(_ text: String, width: Int, firstPrefix: String = "", continuationPrefix: String = "") -> [String] {
        var lines: [String] = []
        for inputLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = lines.isEmpty ? firstPrefix : continuationPrefix
            var lineWidth = columns(line)
            var lineHasWord = false
            for word in inputLine.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let wordWidth = columns(word)
                if lineHasWord && lineWidth + 1 + wordWidth > width {
                    lines.append(line)
                    line = continuationPrefix
                    lineWidth = columns(line)
                    lineHasWord = false
                }
                if lineHasWord {
                    line += " "
                    lineWidth += 1
                }
                line += word
                lineWidth += wordWidth
                lineHasWord = true
            }
            lines.append(line)
        }
        return lines
    }

    /// How many terminal columns `text` takes.
    public static func columns<S: StringProtocol>(_ text: S) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// Two for wide characters (East Asian wide and fullwidth forms, emoji), else one.
    static func columns(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first, scalar.value >= 0x1100 else { return 1 }
        let wideRanges: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wideRanges.contains { $0.contains(scalar.value) } ? 2 : 1
    }
}
