import QuoteCore

/// What the archive knows of one quote id: the winning op and, once a put was seen,
/// where its quote lives and the keys it is indexed under.
///
/// The indexes hold ordinals whose content never changes, so a put that changes an id's
/// metadata gives it a new entry (a new ordinal) and leaves the old one superseded
/// (`isCurrent` false, not live): one current entry per id.
///
/// A million of these stay in memory, so the layout is packed (56 bytes): the location
/// uses a sentinel instead of an optional, and the day range a date covers is derived
/// from `sortKey` when a date filter asks for it rather than stored.
struct ArchiveEntry {
    var id: QuoteID
    var timestamp: HybridTimestamp
    var origin: UInt64
    /// Where the quote's bytes are, or `ArchiveEntry.noLocation` while only a tombstone is known.
    var rawLocation: QuoteArena.Location = ArchiveEntry.noLocation
    /// `QuoteDate.sortKey`, or `UInt32.max` when undated so undated quotes sort last.
    var sortKey: UInt32 = .max
    var speakerID: UInt32 = 0
    var langID: UInt32 = .max
    var kind: Op.Kind
    /// False once a put with other metadata gave the id a newer entry: this one then only
    /// keeps its ordinal's place in the indexes, counted neither live nor deleted.
    var isCurrent = true

    static let noLocation = QuoteArena.Location.max

    init(id: QuoteID, timestamp: HybridTimestamp, origin: UInt64, kind: Op.Kind) {
        self.id = id
        self.timestamp = timestamp
        self.origin = origin
        self.kind = kind
    }

    var isLive: Bool { kind == .put }

    /// Where the quote's bytes are; nil while only a tombstone is known.
    var location: QuoteArena.Location? {
        get { rawLocation == ArchiveEntry.noLocation ? nil : rawLocation }
        set { rawLocation = newValue ?? ArchiveEntry.noLocation }
    }

    /// The first day the date could denote (days since 0001-01-01); meaningful when dated.
    var firstDay: Int32 {
        let (year, month, day) = (Int(sortKey >> 16), Int(sortKey >> 8 & 0xFF), Int(sortKey & 0xFF))
        return ArchiveEntry.dayNumber(year: year, month: max(month, 1), day: max(day, 1))
    }

    /// The last day the date could denote (inclusive); meaningful when dated.
    var lastDay: Int32 {
        let (year, month, day) = (Int(sortKey >> 16), Int(sortKey >> 8 & 0xFF), Int(sortKey & 0xFF))
        let lastMonth = month == 0 ? 12 : month
        let lastDay = day != 0 ? day : ArchiveEntry.daysIn(month: lastMonth, year: year)
        return ArchiveEntry.dayNumber(year: year, month: lastMonth, day: lastDay)
    }

    /// The version of this entry's winning op.
    var version: OpVersion { OpVersion(timestamp: timestamp, origin: origin, kind: kind) }

    // `QuoteDate.dayNumber` without its per-call table: date filters call this per candidate.
    private static func dayNumber(year: Int, month: Int, day: Int) -> Int32 {
        let cumulative: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)
            = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
        let before = withUnsafeBytes(of: cumulative) { $0.load(fromByteOffset: (month - 1) * MemoryLayout<Int>.stride, as: Int.self) }
        let previousYears = year - 1
        var days = previousYears * 365 + previousYears / 4 - previousYears / 100 + previousYears / 400
        days += before + (month > 2 && isLeap(year) ? 1 : 0) + day - 1
        return Int32(days)
    }

    private static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
