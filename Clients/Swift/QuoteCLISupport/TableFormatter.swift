/// Two aligned columns, names then values, as `quotes stats` prints them.
public enum TableFormatter {
    /// One line per row: the name padded to the widest name, two spaces, then the value, so
    /// every value, number or text, starts in the same column.
    public static func lines(_ rows: [(name: String, value: String)]) -> [String] {
        let nameWidth = rows.map { TextWrapper.columns($0.name) }.max() ?? 0
        return rows.map { row in
            row.name + String(repeating: " ", count: nameWidth - TextWrapper.columns(row.name)) + "  " + row.value
        }
    }
}
