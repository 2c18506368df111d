import QuoteCore

/// What the archive knows of one quote id: the winning op and, once a put was seen,
/// where its quote lives and the keys it is indexed under.
struct ArchiveEntry {
    var id: QuoteID
    var timestamp: HybridTimestamp
    var origin: UInt64
    var kind: Op.Kind
    /// Where the quote's bytes are; nil while only a tombstone is known.
    var location: QuoteArena.Location?
    /// `QuoteDate.sortKey`, or `UInt32.max` when undated so undated quotes sort last.
    var sortKey: UInt32 = .max
    var firstDay: Int32 = 0
    var lastDay: Int32 = 0
    var speakerID: UInt32 = 0
    var langID: UInt32 = .max

    var isLive: Bool { kind == .put }

    /// Whether `op` would replace this entry's winning op.
    func isSuperseded(by op: Op) -> Bool {
        if op.timestamp != timestamp { return op.timestamp > timestamp }
        if op.origin != origin { return op.origin > origin }
        return op.kind.rawValue > kind.rawValue
    }
}
