import QuoteCore

/// Quotes by (year, month) bucket, each bucket's ordinals in (date, id) order; undated
/// quotes sit in the last bucket. A search walks the buckets in order, skipping those
/// outside its date range.
struct DateIndex: SearchIndex {
    static let undatedBucket = UInt32.max

    var buckets: [UInt32: SortedOrdinalList] = [:]
    /// The keys of `buckets`, ascending.
    var sortedKeys: [UInt32] = []

    init() {}

    /// The bucket of a sort key (year << 16 | month << 8 | day, `.max` undated).
    static func bucket(_ sortKey: UInt32) -> UInt32 { sortKey == .max ? undatedBucket : sortKey >> 8 }

    /// Puts `ordinal`, whose sort key is `sortKey`, into its bucket.
    mutating func insert(_ ordinal: UInt32, sortKey: UInt32, by precedes: (UInt32, UInt32) -> Bool) {
        let bucket = DateIndex.bucket(sortKey)
        if buckets[bucket] == nil {
            let position = sortedKeys.partitionPoint { $0 >= bucket }
            sortedKeys.insert(bucket, at: position)
        }
        buckets[bucket, default: SortedOrdinalList()].insert(ordinal, by: precedes)
    }

    /// Appends a whole bucket, sorted, after every bucket already here (the bulk build).
    mutating func appendBucket(_ bucket: UInt32, _ ordinals: UnsafeBufferPointer<UInt32>) {
        buckets[bucket] = SortedOrdinalList(sorted: ordinals)
        sortedKeys.append(bucket)
    }

    // Section: u32 bucket count ‖ per bucket, ascending: u32 key ‖ list of ordinals in
    // (date, id) order.
    func save(into writer: inout ByteWriter, entries: [ArchiveEntry]) {
        writer.writeInteger(UInt32(sortedKeys.count))
        for key in sortedKeys {
            writer.writeInteger(key)
            writer.writeSnapshotList(buckets[key]?.ordinals ?? [])
        }
    }

    init(snapshot reader: inout SnapshotReader, ordinals: UInt32) throws(IndexSnapshot.Rejection) {
        for _ in 0..<Int(try reader.u32()) {
            let key = try reader.u32()
            guard sortedKeys.last.map({ $0 < key }) ?? true else {
                throw IndexSnapshot.Rejection(reason: "snapshot date buckets out of order")
            }
            sortedKeys.append(key)
            buckets[key] = try reader.sortedList(below: ordinals)
        }
    }
}
