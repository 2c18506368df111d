import QuoteCore

/// The archive in memory: one entry per id ever seen, and the search indexes.
///
/// Not thread-safe by itself: `Archive` holds it behind a read-write lock and mutates it
/// only from its writer queue. Ordinals (indexes into `entries`) are handed out in
/// increasing order and an ordinal's content never changes (new metadata for an id takes a
/// new ordinal), so index lists only grow.
struct ArchiveState {
    var entries: [ArchiveEntry] = []
    /// By ordinal: the entry's date sort key and the top half of its id's first word, the
    /// order of the sorted lists in eight dense bytes. Inserting into a long list compares
    /// a few dozen entries scattered over the whole archive; read from `entries` (56 bytes
    /// each, tens of megabytes) every comparison missed the cache.
    var orderKeys: [UInt64] = []
    /// id -> ordinal, keyed by the ids in `entries`.
    var ordinals = OrdinalTable()
    var arena = QuoteArena()
    var liveCount = 0
    /// Entries superseded by a newer version of their id's quote (see `ArchiveEntry.isCurrent`).
    var supersededCount = 0
    var lastSequence: UInt64 = 0
    /// Record offsets in the log and their sequence numbers, for CHANGES.
    var records = RecordIndex()
    var logBytes = 0

    /// The search indexes, each in its own file (see `SearchIndex`).
    var indexes = SearchIndexes()

    /// While true (opening a log), puts only record where their quote is; `finishBulkLoad()`
    /// then builds every index at once.
    var bulkLoading = false
    /// During a bulk load, the ordinals given a location, in the order their bytes sit in
    /// the image.
    var bulkLocated: [UInt32] = []

    /// Whether the index snapshot on disk holds exactly these indexes (loaded at open or
    /// written since), so closing need not write it again.
    var snapshotIsCurrent = false

    /// The running digest, computed on first use and then kept up to date.
    var digest: ArchiveDigest?

    let folder = TextFolder.shared

    /// Orders two ordinals by (date, id).
    func precedes(_ left: UInt32, _ right: UInt32) -> Bool {
        ArchiveState.precedes(entries[Int(left)], entries[Int(right)])
    }

    /// Orders two entries by (date, id).
    static func precedes(_ a: ArchiveEntry, _ b: ArchiveEntry) -> Bool {
        if a.sortKey != b.sortKey { return a.sortKey < b.sortKey }
        return a.id < b.id
    }

    /// What `orderKeys` holds for `entry`: ordered as (date, id) is, except that equal keys
    /// still need the whole ids compared.
    static func orderKey(_ entry: ArchiveEntry) -> UInt64 {
        UInt64(entry.sortKey) << 32 | entry.id.high >> 32
    }

    /// The ordinal of `id`, if the archive has seen it.
    func ordinal(of id: QuoteID) -> UInt32? {
        ordinals.find(id, in: entries)
    }

    /// The version of the op that wins for `id` now, if the archive has seen it.
    func winningVersion(of id: QuoteID) -> OpVersion? {
        guard let ordinal = ordinals.find(id, in: entries) else { return nil }
        return entries[Int(ordinal)].version
    }

    /// Applies an op that wins over what the archive holds for its id; a put may bring its
    /// quote already encoded (`prepared`), else it is encoded here.
    mutating func apply(_ op: Op, sequence: UInt64, recordOffset: Int, prepared: PreparedPut?) {
        apply(id: op.id, known: ordinal(of: op.id), timestamp: op.timestamp, origin: op.origin, kind: op.kind,
              quote: op.quote, prepared: prepared, sequence: sequence, recordOffset: recordOffset, location: nil)
    }

    /// Applies a record read at recovery if it wins; `location` is where a put's quote is.
    mutating func recover(id: QuoteID, timestamp: HybridTimestamp, origin: UInt64, kind: Op.Kind,
                          sequence: UInt64, recordOffset: Int, location: QuoteArena.Location?) {
        // One lookup serves both the verdict and the update: a million of them open a log.
        let known = ordinal(of: id)
        if let known, OpVersion(timestamp: timestamp, origin: origin, kind: kind) <= entries[Int(known)].version {
            skip(sequence: sequence, recordOffset: recordOffset)
            return
        }
        apply(id: id, known: known, timestamp: timestamp, origin: origin, kind: kind, quote: nil, prepared: nil,
              sequence: sequence, recordOffset: recordOffset, location: location)
    }

    /// Room for `count` more ids without growing, as when a log's record count is known.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(entries.count + count)
        orderKeys.reserveCapacity(orderKeys.count + count)
        ordinals.reserveCapacity(count, in: entries)
        records.reserveCapacity(records.count + count)
    }

    /// Applies a winning op; a put brings its `quote` (and maybe its `prepared` form) or,
    /// when its bytes are already in the arena, their `location`.
    private mutating func apply(id: QuoteID, known: UInt32?, timestamp: HybridTimestamp, origin: UInt64, kind: Op.Kind,
                                quote: Quote?, prepared: PreparedPut?, sequence: UInt64, recordOffset: Int,
                                location: QuoteArena.Location?) {
        lastSequence = sequence
        records.append(sequence: sequence, offset: recordOffset)
        guard let ordinal = known else {
            addEntry(id: id, timestamp: timestamp, origin: origin, kind: kind, quote: quote, prepared: prepared,
                     location: location, replacing: false)
            return
        }
        let oldEntry = entries[Int(ordinal)]
        digestSubtract(oldEntry)
        if kind == .put, let located = oldEntry.location,
           !holdsSameQuote(located, quote: quote, prepared: prepared, location: location) {
            // Other metadata: the indexes keep the old version under its ordinal, superseded,
            // and the new one takes an ordinal of its own.
            entries[Int(ordinal)].kind = .delete
            entries[Int(ordinal)].isCurrent = false
            supersededCount += 1
            if oldEntry.isLive { liveCount -= 1 }
            addEntry(id: id, timestamp: timestamp, origin: origin, kind: kind, quote: quote, prepared: prepared,
                     location: location, replacing: true)
            return
        }
        var entry = oldEntry
        entry.timestamp = timestamp
        entry.origin = origin
        entry.kind = kind
        entries[Int(ordinal)] = entry
        if kind == .put && entry.location == nil {
            index(ordinal: ordinal, quote: quote, prepared: prepared, location: location)
        }
        if oldEntry.isLive != entries[Int(ordinal)].isLive { liveCount += oldEntry.isLive ? -1 : 1 }
        digestAdd(entries[Int(ordinal)])
    }

    /// Gives `id` a new entry: its first, or (`replacing`) a newer version of its quote.
    private mutating func addEntry(id: QuoteID, timestamp: HybridTimestamp, origin: UInt64, kind: Op.Kind,
                                   quote: Quote?, prepared: PreparedPut?, location: QuoteArena.Location?,
                                   replacing: Bool) {
        let ordinal = UInt32(entries.count)
        snapshotIsCurrent = false
        entries.append(ArchiveEntry(id: id, timestamp: timestamp, origin: origin, kind: kind))
        orderKeys.append(ArchiveState.orderKey(entries[Int(ordinal)]))
        if replacing {
            ordinals.repoint(id, to: ordinal, in: entries)
        } else {
            ordinals.insert(ordinal, for: id, in: entries)
        }
        if !bulkLoading { indexes.idOrder.add(ordinal, high: id.high, entries: entries) }
        if kind == .put {
            index(ordinal: ordinal, quote: quote, prepared: prepared, location: location)
            liveCount += 1
        }
        digestAdd(entries[Int(ordinal)])
    }

    /// Whether the quote stored at `located` is, byte for byte, the one a put brings.
    private func holdsSameQuote(_ located: QuoteArena.Location, quote: Quote?, prepared: PreparedPut?,
                                location: QuoteArena.Location?) -> Bool {
        let stored = arena.bytes(at: located)
        if let location { return ArchiveState.isSameQuote(stored, arena.bytes(at: location)) }
        if let prepared { return prepared.encoded.withUnsafeBytes { ArchiveState.isSameQuote(stored, $0) } }
        var writer = ByteWriter(capacity: 256)
        quote?.encode(into: &writer)
        return writer.bytes.withUnsafeBytes { ArchiveState.isSameQuote(stored, $0) }
    }

    /// Whether the live quote `id` names is, byte for byte, `encoded`; nil when none is live.
    func liveQuote(of id: QuoteID, equals encoded: [UInt8]) -> Bool? {
        guard let ordinal = ordinal(of: id), case let entry = entries[Int(ordinal)], entry.isLive,
              let location = entry.location else { return nil }
        return encoded.withUnsafeBytes { ArchiveState.isSameQuote(arena.bytes(at: location), $0) }
    }

    /// Whether the valid quote encodings that start `first` and `second` are the same bytes.
    static func isSameQuote(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Bool {
        let length = QuoteFields.encodedLength(first)
        return QuoteFields.encodedLength(second) == length && first.prefix(length).elementsEqual(second.prefix(length))
    }

    private mutating func digestAdd(_ entry: ArchiveEntry) {
        guard digest != nil else { return }
        digest!.add(entry, quote: entry.location.map { arena.bytes(at: $0) })
    }

    private mutating func digestSubtract(_ entry: ArchiveEntry) {
        guard digest != nil else { return }
        digest!.subtract(entry, quote: entry.location.map { arena.bytes(at: $0) })
    }

    /// The digests computed from every current entry.
    func computeDigest() -> ArchiveDigest {
        var digest = ArchiveDigest()
        for entry in entries where entry.isCurrent {
            digest.add(entry, quote: entry.location.map { arena.bytes(at: $0) })
        }
        return digest
    }

    /// Notes a record that changes nothing (its op lost), so CHANGES still lists it.
    mutating func skip(sequence: UInt64, recordOffset: Int) {
        records.append(sequence: sequence, offset: recordOffset)
        lastSequence = sequence
    }

    private mutating func index(ordinal: UInt32, quote: Quote?, prepared: PreparedPut?, location given: QuoteArena.Location?) {
        let location: QuoteArena.Location
        if let given {
            location = given
        } else if let prepared {
            location = arena.append(prepared.encoded)
        } else {
            var writer = ByteWriter(capacity: 256)
            quote?.encode(into: &writer)
            location = arena.append(writer.bytes)
        }
        entries[Int(ordinal)].location = location
        snapshotIsCurrent = false
        if bulkLoading {
            bulkLocated.append(ordinal)
            return
        }
        // The chunk's bytes never move while the arena holds it, so `self` stays free for
        // the index updates.
        let bytes = arena.bytes(at: location)
        indexFields(QuoteFields(bytes), ordinal: ordinal)
    }

    mutating func indexFields(_ fields: QuoteFields, ordinal: UInt32) {
        var entry = entries[Int(ordinal)]
        if fields.year != 0 {
            entry.sortKey = UInt32(fields.year) << 16 | UInt32(fields.month) << 8 | UInt32(fields.day)
            orderKeys[Int(ordinal)] = ArchiveState.orderKey(entry)
        }
        let speakerID = indexes.speakers.intern(fields.slice(fields.speaker), folder: folder)
        entry.speakerID = speakerID
        if !fields.lang.isEmpty {
            entry.langID = indexes.languages.intern(fields.slice(fields.lang))
        }
        entries[Int(ordinal)] = entry

        insertIntoSortedLists(ordinal)

        indexes.unranked.record(ordinal)
        var pairs = WordPairIndex.Builder()
        folder.forEachHashedWord(in: fields.slice(fields.text)) { word, hash in
            indexes.words.post(word, hash: hash, ordinal: ordinal)
            pairs.add(hash)
        }
        indexes.wordPairs.record(pairs.signature, ordinal: ordinal)
        for range in fields.tags {
            indexes.tags.post(fields.slice(range), ordinal: ordinal)
        }
    }

    /// Puts `ordinal` into its speaker lists and its date bucket.
    private mutating func insertIntoSortedLists(_ ordinal: UInt32) {
        // Comparisons read through buffer pointers: passing the `precedes` method as a
        // closure captured a copy of the whole state, and every comparison retained and
        // released its arrays.
        let (entries, orderKeys) = (self.entries, self.orderKeys)
        entries.withUnsafeBufferPointer { entries in orderKeys.withUnsafeBufferPointer { orderKeys in
            func precedes(_ left: UInt32, _ right: UInt32) -> Bool {
                let (a, b) = (orderKeys[Int(left)], orderKeys[Int(right)])
                return a != b ? a < b : ArchiveState.precedes(entries[Int(left)], entries[Int(right)])
            }
            let entry = entries[Int(ordinal)]
            indexes.speakers.insert(ordinal, speakerID: entry.speakerID, by: precedes)
            indexes.dates.insert(ordinal, sortKey: entry.sortKey, by: precedes)
        } }
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, which must be false then true.
    func partitionPoint(_ predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
