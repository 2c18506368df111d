import QuoteCore
import Testing

@Suite struct QuoteDateTests {
    /// Whether a quote dated `date` matches a filter from `from` to `to`: the intervals overlap.
    static func overlaps(_ date: QuoteDate, from: QuoteDate?, to: QuoteDate?) -> Bool {
        (from.map { date.lastDay >= $0.firstDay } ?? true) && (to.map { date.firstDay <= $0.lastDay } ?? true)
    }

    @Test(arguments: ["2025", "2025-06", "2025-06-28", "0042-01-05", "9999-12-31", "0001"])
    func parsingThenPrintingGivesTheSameText(_ text: String) throws {
        #expect(try QuoteDate(parsing: text).description == text)
    }

    @Test func partsAreAbsentWhenNotKnown() throws {
        let year = try QuoteDate(parsing: "2025")
        #expect(year.month == nil && year.day == nil)
        let month = try QuoteDate(parsing: "2025-06")
        #expect(month.month == 6 && month.day == nil)
    }

    @Test func dayNumberCountsFromTheFirstOfJanuaryOfYearOne() {
        #expect(QuoteDate.dayNumber(year: 1, month: 1, day: 1) == 0)
        #expect(QuoteDate.dayNumber(year: 1970, month: 1, day: 1) == 719_162)
        #expect(QuoteDate.dayNumber(year: 2000, month: 3, day: 1) - QuoteDate.dayNumber(year: 2000, month: 2, day: 28) == 2)
        #expect(QuoteDate.dayNumber(year: 1900, month: 3, day: 1) - QuoteDate.dayNumber(year: 1900, month: 2, day: 28) == 1)
    }

    @Test func partialDateSpansItsWholeYearOrMonth() throws {
        let year = try QuoteDate(parsing: "2024")
        #expect(year.firstDay == QuoteDate.dayNumber(year: 2024, month: 1, day: 1))
        #expect(year.lastDay == QuoteDate.dayNumber(year: 2024, month: 12, day: 31))
        let leapFebruary = try QuoteDate(parsing: "2024-02")
        #expect(leapFebruary.lastDay == QuoteDate.dayNumber(year: 2024, month: 2, day: 29))
        let february = try QuoteDate(parsing: "2023-02")
        #expect(february.lastDay == QuoteDate.dayNumber(year: 2023, month: 2, day: 28))
        let day = try QuoteDate(parsing: "2025-06-28")
        #expect(day.firstDay == day.lastDay)
    }

    @Test(arguments: [
        ("2025-06-28", "2025", "2025", true),
        ("2025", "2025-06-28", "2025-06-28", true),
        ("2025", "2024-12-31", nil, true),
        ("2024-12-31", "2025", nil, false),
        ("2024", nil, "2024-01-01", true),
        ("2024-02", "2024-02-29", "2024-03", true),
        ("2024-02", "2024-03", "2024-12", false),
        ("2025-06", "2025-07", nil, false),
        ("2025-06", nil, "2025-05-31", false),
    ] as [(String, String?, String?, Bool)])
    func dateFilterMatchesWhenTheIntervalsOverlap(_ date: String, _ from: String?, _ to: String?, _ matches: Bool) throws {
        let filterFrom = try from.map { try QuoteDate(parsing: $0) }
        let filterTo = try to.map { try QuoteDate(parsing: $0) }
        #expect(QuoteDateTests.overlaps(try QuoteDate(parsing: date), from: filterFrom, to: filterTo) == matches)
    }

    @Test func datesSortYearThenMonthThenDayWithUnknownPartsFirst() throws {
        let texts = ["2025-02", "2025-01-01", "2025", "2024-12-31", "2025-01"]
        let sorted = try texts.map { try QuoteDate(parsing: $0) }.sorted().map(\.description)
        #expect(sorted == ["2024-12-31", "2025", "2025-01", "2025-01-01", "2025-02"])
    }

    @Test(arguments: [
        ("2025-06-28", [0x07, 0xE9, 0x06, 0x1C]), ("2025-06", [0x07, 0xE9, 0x06, 0x00]), ("1670", [0x06, 0x86, 0x00, 0x00]),
    ] as [(String, [UInt8])])
    func dateEncodesAsYearMonthDayWithZeroForUnknown(_ text: String, _ bytes: [UInt8]) throws {
        var writer = ByteWriter()
        QuoteDate.encode(try QuoteDate(parsing: text), into: &writer)
        #expect(writer.bytes == bytes)
        var reader = ByteReader(bytes)
        #expect(try QuoteDate.decode(from: &reader)?.description == text)
    }

    @Test func noDateIsFourZeroBytes() throws {
        var writer = ByteWriter()
        QuoteDate.encode(nil, into: &writer)
        #expect(writer.bytes == [0, 0, 0, 0])
        var reader = ByteReader([0, 0, 0, 0])
        #expect(try QuoteDate.decode(from: &reader) == nil)
    }

    @Test(arguments: [[0x07, 0xE9, 0x00, 0x05], [0x00, 0x00, 0x01, 0x00], [0x07, 0xE9, 0x0D, 0x00], [0x27, 0x10, 0x00, 0x00]] as [[UInt8]])
    func impossibleEncodedDateIsRefused(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        #expect(throws: DecodeError.invalidValue(offset: 0, field: "date")) { try QuoteDate.decode(from: &reader) }
    }
}
