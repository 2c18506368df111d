import QuoteCore

/// Ordinals in id order, for finding quotes by id prefix. Ordinals added since the last
/// merge wait unsorted in `recent`, beside the first word of each one's id, so adding a
/// quote does not move the whole sorted list.
struct IDOrder: SearchIndex {
    var sorted: [UInt32] = []
    var recent: [UInt32] = []
    /// The first word of each recent ordinal's id, in the same order, for prefix scans.
    var recentIDHighs: [UInt64] = []

    init() {}

    /// Adds a new ordinal, whose id's first word is `high`; merges once the unsorted tail
    /// is long enough.
    mutating func add(_ ordinal: UInt32, high: UInt64, entries: [ArchiveEntry]) {
        recent.append(ordinal)
        recentIDHighs.append(high)
        // Merging touches every sorted entry, so let the unsorted tail grow with the archive.
        if recent.count > max(4096, sorted.count / 32) { merge(entries) }
    }

    /// Sorts the recent ordinals into `sorted`.
    mutating func merge(_ entries: [ArchiveEntry]) {
        guard !recent.isEmpty else { return }
        recent.sort { entries[Int($0)].id < entries[Int($1)].id }
        var merged: [UInt32] = []
        merged.reserveCapacity(sorted.count + recent.count)
        var old = 0
        for ordinal in recent {
            let id = entries[Int(ordinal)].id
            while old < sorted.count && entries[Int(sorted[old])].id < id {
                merged.append(sorted[old])
                old += 1
            }
            merged.append(ordinal)
        }
        merged.append(contentsOf: sorted[old...])
        sorted = merged
        recent.removeAll(keepingCapacity: true)
        recentIDHighs.removeAll(keepingCapacity: true)
    }

    // Section: list of every ordinal covered, in id order (the recent ones merged in).
    func save(into writer: inout ByteWriter, entries: [ArchiveEntry]) {
        var merged = self
        merged.merge(entries)
        writer.writeSnapshotList(merged.sorted)
    }

    init(snapshot reader: inout SnapshotReader, ordinals: UInt32) throws(IndexSnapshot.Rejection) {
        sorted = try reader.list(below: ordinals)
        guard sorted.count == Int(ordinals) else {
            throw IndexSnapshot.Rejection(reason: "snapshot id order does not cover every quote")
        }
    }
}
