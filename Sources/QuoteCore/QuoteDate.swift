/// A calendar date known to the year, the month or the day: `2024`, `2025-06`, `2025-06-28`.
///
/// On the wire and on disk a date is four bytes: `u16` year, `u8` month, `u8` day, where a
/// zero month or day means "not known". Four zero bytes mean "no date" (see `encodedAbsent`).
public struct QuoteDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1 through 9999.
    public let year: Int
    /// The month, 1 through 12, or nil when only the year is known.
    public let month: Int?
    /// The day of the month, or nil when only the year (and maybe the month) is known.
    public let day: Int?

    /// Creates a date, checking that it exists in the proleptic Gregorian calendar.
    public init(year: Int, month: Int? = nil, day: Int? = nil) throws(ValidationError) {
        guard (1...9999).contains(year) else { throw .invalidDate("year \(year) is outside 1...9999") }
        if let month {
            guard (1...12).contains(month) else { throw .invalidDate("month \(month) is outside 1...12") }
        } else if day != nil {
            throw .invalidDate("a day needs a month")
        }
        if let day, let month {
            let last = QuoteDate.daysIn(month: month, year: year)
            guard (1...last).contains(day) else {
                throw .invalidDate("\(QuoteDate.pad(year, 4))-\(QuoteDate.pad(month, 2)) has no day \(day)")
            }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public init(parsing text: String) throws(ValidationError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let lengths = [4, 2, 2]
        guard (1...3).contains(parts.count) else {
            throw .invalidDate("'\(text)' is not YYYY, YYYY-MM or YYYY-MM-DD")
        }
        var numbers: [Int] = []
        for (index, part) in parts.enumerated() {
            guard part.utf8.count == lengths[index], part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let number = Int(part)
            else { throw .invalidDate("'\(text)' is not YYYY, YYYY-MM or YYYY-MM-DD") }
            numbers.append(number)
        }
        try self.init(
            year: numbers[0],
            month: numbers.count > 1 ? numbers[1] : nil,
            day: numbers.count > 2 ? numbers[2] : nil)
    }

    /// The first day this date could denote, as days since 0001-01-01 (inclusive).
    public var firstDay: Int32 { QuoteDate.dayNumber(year: year, month: month ?? 1, day: day ?? 1) }

    /// The last day this date could denote, as days since 0001-01-01 (inclusive).
    public var lastDay: Int32 {
        let lastMonth = month ?? 12
        let lastDay = day ?? QuoteDate.daysIn(month: lastMonth, year: year)
        return QuoteDate.dayNumber(year: year, month: lastMonth, day: lastDay)
    }

    /// A key that sorts dates chronologically, a year before its months, a month before its days.
    public var sortKey: UInt32 { UInt32(year) << 16 | UInt32(month ?? 0) << 8 | UInt32(day ?? 0) }

    public static func < (lhs: QuoteDate, rhs: QuoteDate) -> Bool { lhs.sortKey < rhs.sortKey }

    /// The date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public var description: String {
        var text = QuoteDate.pad(year, 4)
        if let month { text += "-" + QuoteDate.pad(month, 2) }
        if let day { text += "-" + QuoteDate.pad(day, 2) }
        return text
    }

    /// Writes the four-byte form; `nil` writes four zero bytes.
    public static func encode(_ date: QuoteDate?, into writer: inout ByteWriter) {
        writer.writeInteger(UInt16(date?.year ?? 0))
        writer.writeInteger(UInt8(date?.month ?? 0))
        writer.writeInteger(UInt8(date?.day ?? 0))
    }

    /// Reads the four-byte form; four zero bytes decode as `nil`.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> QuoteDate? {
        let offset = reader.offset
        let year = Int(try reader.readInteger(as: UInt16.self))
        let month = Int(try reader.readInteger(as: UInt8.self))
        let day = Int(try reader.readInteger(as: UInt8.self))
        if year == 0 && month == 0 && day == 0 { return nil }
        do {
            return try QuoteDate(year: year, month: month == 0 ? nil : month, day: day == 0 ? nil : day)
        } catch {
            throw .invalidValue(offset: offset, field: "date")
        }
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 0001-01-01 for a full date (a civil-from-days style count).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int32 {
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let previousYears = year - 1
        var days = previousYears * 365 + previousYears / 4 - previousYears / 100 + previousYears / 400
        days += cumulative[month - 1] + (month > 2 && isLeap(year) ? 1 : 0) + day - 1
        return Int32(days)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
