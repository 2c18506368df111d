/// Hex spellings shared by files, logs, STATS and the CLI, so a node id reads the same
/// everywhere (STORAGE.md §1: 16 lowercase hex digits).
public enum HexText {
    /// `value` as exactly 16 lowercase hex digits, zero-padded.
    public static func sixteenDigits(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
