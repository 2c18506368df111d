/// Two aligned columns, names then values, as `quotes stats` prints them.
public enum TableFormatter {
    /// One line per row: the name padded to the widest name, two spaces, then the value.
    /// Values that are whole numbers are right-aligned among themselves so digits line up.
    public static func lines(_ rows: [(name: String, value: String)]) -> [String] {
        let nameWidth = rows.map { TextWrapper.columns($0.name) }.max() ?? 0
        let numberWidth = rows.filter { isNumber($0.value) }.map(\.value.count).max() ?? 0
        return rows.map { row in
            let name = row.name + String(repeating: " ", count: nameWidth - TextWrapper.columns(row.name))
            let value = isNumber(row.value)
                ? String(repeating: " ", count: numberWidth - row.value.count) + row.value
                : row.value
            return name + "  " + value
        }
    }

    static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
