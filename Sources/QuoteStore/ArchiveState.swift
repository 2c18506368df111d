import QuoteCore

/// The archive in memory: one entry per id ever seen, and the search indexes.
///
/// Not thread-safe by itself: `Archive` holds it behind a read-write lock and mutates it
/// only from its writer queue. Ordinals (indexes into `entries`) are handed out in
/// increasing order and an id's content never changes, so index lists only grow.
struct ArchiveState {
    var entries: [ArchiveEntry] = []
    var ordinalByID: [QuoteID: UInt32] = [:]
    var arena = QuoteArena()
    var liveCount = 0
    var lastSequence: UInt64 = 0
    /// Record offsets in the log by sequence number, for CHANGES.
    var sequences: [UInt64] = []
    var recordOffsets: [UInt64] = []
    var logBytes = 0

    // Speaker index: raw speaker bytes -> speaker id -> its keys (the folded whole name and
    // each folded word) -> ordinals sorted by (date, id).
    var speakers = ByteKeyTable()
    var speakerKeysBySpeaker: [[UInt32]] = []
    var speakerKeys = ByteKeyTable()
    var speakerLists: [[UInt32]] = []

    var words = ByteKeyTable(capacity: 1 << 16)
    var wordPostings: [PostingList] = []
    var tags = ByteKeyTable()
    var tagPostings: [PostingList] = []
    var languages = ByteKeyTable()

    /// Ordinals by (year, month) bucket, each sorted by (date, id); undated under `.max`.
    var dateBuckets: [UInt32: [UInt32]] = [:]
    var sortedBucketKeys: [UInt32] = []

    /// Sorted ids for prefix lookup, rebuilt lazily; `unsortedIDs` holds ids added since.
    var sortedIDs: [QuoteID] = []
    var recentIDs: [QuoteID] = []

    /// While true, index lists are appended unsorted and sorted once by `finishBulkLoad()`.
    var bulkLoading = false

    /// The running digest, computed on first use and then kept up to date.
    var digest: ArchiveDigest?

    let folder = TextFolder.shared

    static let undatedBucket = UInt32.max

    /// Orders two ordinals by (date, id).
    func precedes(_ left: UInt32, _ right: UInt32) -> Bool {
        let a = entries[Int(left)]
        let b = entries[Int(right)]
        if a.sortKey != b.sortKey { return a.sortKey < b.sortKey }
        return a.id < b.id
    }

    /// Applies an op that `wins(_:)` said wins. `location` is where its quote bytes are
    /// (for a put, when they already live in the arena, as at recovery).
    mutating func apply(_ op: Op, sequence: UInt64, recordOffset: Int, location: QuoteArena.Location?) {
        lastSequence = sequence
        sequences.append(sequence)
        recordOffsets.append(UInt64(recordOffset))
        if let ordinal = ordinalByID[op.id] {
            var entry = entries[Int(ordinal)]
            let oldEntry = entry
            let wasLive = entry.isLive
            entry.timestamp = op.timestamp
            entry.origin = op.origin
            entry.kind = op.kind
            entries[Int(ordinal)] = entry
            if op.kind == .put && entry.location == nil {
                index(ordinal: ordinal, op: op, location: location)
            }
            if wasLive != entries[Int(ordinal)].isLive { liveCount += wasLive ? -1 : 1 }
            digest?.replace(old: oldEntry, new: entries[Int(ordinal)])
            return
        }
        let ordinal = UInt32(entries.count)
        entries.append(ArchiveEntry(id: op.id, timestamp: op.timestamp, origin: op.origin, kind: op.kind, location: nil))
        ordinalByID[op.id] = ordinal
        recentIDs.append(op.id)
        // A bulk load sorts once at the end; merging every 4,096 ids would re-sort the
        // whole array hundreds of times while a big log is opened.
        if recentIDs.count > 4096 && !bulkLoading { mergeRecentIDs() }
        if op.kind == .put {
            index(ordinal: ordinal, op: op, location: location)
            liveCount += 1
        }
        digest?.add(entries[Int(ordinal)])
    }

    /// Whether `op` would change the archive: unknown id, or it supersedes the winner.
    func wins(_ op: Op) -> Bool {
        guard let ordinal = ordinalByID[op.id] else { return true }
        return entries[Int(ordinal)].isSuperseded(by: op)
    }

    private mutating func index(ordinal: UInt32, op: Op, location given: QuoteArena.Location?) {
        let location: QuoteArena.Location
        if let given {
            location = given
        } else {
            var writer = ByteWriter(capacity: 256)
            op.quote?.encode(into: &writer)
            location = arena.append(writer.bytes)
        }
        entries[Int(ordinal)].location = location
        // A local reference to the chunk keeps `self` free for the index updates.
        let (chunk, offset) = arena.chunk(at: location)
        chunk.withUnsafeBytes { all in
            let bytes = UnsafeRawBufferPointer(rebasing: all[offset...])
            indexFields(QuoteFields(bytes), bytes: bytes, ordinal: ordinal)
        }
    }

    private mutating func indexFields(_ fields: QuoteFields, bytes: UnsafeRawBufferPointer, ordinal: UInt32) {
        var entry = entries[Int(ordinal)]
        if fields.year != 0, let date = try? QuoteDate(year: fields.year, month: fields.month == 0 ? nil : fields.month,
                                                       day: fields.day == 0 ? nil : fields.day) {
            entry.sortKey = date.sortKey
            entry.firstDay = date.firstDay
            entry.lastDay = date.lastDay
        }
        let speaker = speakers.intern(UnsafeRawBufferPointer(rebasing: bytes[fields.speaker]))
        if speaker.isNew { speakerKeysBySpeaker.append(keys(forSpeaker: UnsafeRawBufferPointer(rebasing: bytes[fields.speaker]))) }
        entry.speakerID = speaker.id
        if !fields.lang.isEmpty {
            entry.langID = languages.intern(UnsafeRawBufferPointer(rebasing: bytes[fields.lang])).id
        }
        entries[Int(ordinal)] = entry

        for key in speakerKeysBySpeaker[Int(speaker.id)] {
            // Swap the list out so the insert mutates it in place instead of copying it.
            var list = speakerLists[Int(key)]
            speakerLists[Int(key)] = []
            insertSorted(ordinal, into: &list)
            speakerLists[Int(key)] = list
        }
        let bucket = entry.sortKey == .max ? ArchiveState.undatedBucket : entry.sortKey >> 8
        if dateBuckets[bucket] == nil {
            dateBuckets[bucket] = []
            let position = sortedBucketKeys.partitionPoint { $0 >= bucket }
            sortedBucketKeys.insert(bucket, at: position)
        }
        insertSorted(ordinal, intoBucket: bucket)

        folder.forEachWord(in: UnsafeRawBufferPointer(rebasing: bytes[fields.text])) { word in
            let (id, isNew) = words.intern(word)
            if isNew { wordPostings.append(PostingList()) }
            // A word repeated in one quote is posted once: `append` ignores an ordinal it holds.
            wordPostings[Int(id)].append(ordinal)
        }
        for range in fields.tags {
            let (id, isNew) = tags.intern(UnsafeRawBufferPointer(rebasing: bytes[range]))
            if isNew { tagPostings.append(PostingList()) }
            tagPostings[Int(id)].append(ordinal)
        }
    }

    private mutating func keys(forSpeaker raw: UnsafeRawBufferPointer) -> [UInt32] {
        var folded: [[UInt8]] = []
        folder.forEachWord(in: raw) { folded.append(Array($0)) }
        var phrase: [UInt8] = []
        for word in folded {
            if !phrase.isEmpty { phrase.append(0x20) }
            phrase.append(contentsOf: word)
        }
        var keys: [UInt32] = []
        for key in [phrase] + folded where !key.isEmpty {
            let (id, isNew) = key.withUnsafeBytes { speakerKeys.intern($0) }
            if isNew { speakerLists.append([]) }
            if !keys.contains(id) { keys.append(id) }
        }
        return keys
    }

    private func insertSorted(_ ordinal: UInt32, into list: inout [UInt32]) {
        if bulkLoading || list.isEmpty || precedes(list[list.count - 1], ordinal) {
            list.append(ordinal)
            return
        }
        let position = list.partitionPoint { !precedes($0, ordinal) }
        list.insert(ordinal, at: position)
    }

    private mutating func insertSorted(_ ordinal: UInt32, intoBucket bucket: UInt32) {
        // Swap the list out so the insert mutates it in place instead of copying it.
        var list = dateBuckets.removeValue(forKey: bucket) ?? []
        insertSorted(ordinal, into: &list)
        dateBuckets[bucket] = list
    }

    /// Sorts every list appended to during a bulk load.
    mutating func finishBulkLoad() {
        bulkLoading = false
        let order: (UInt32, UInt32) -> Bool = { [entries] left, right in
            let a = entries[Int(left)]
            let b = entries[Int(right)]
            if a.sortKey != b.sortKey { return a.sortKey < b.sortKey }
            return a.id < b.id
        }
        for index in speakerLists.indices { speakerLists[index].sort(by: order) }
        for key in sortedBucketKeys {
            var list = dateBuckets.removeValue(forKey: key) ?? []
            list.sort(by: order)
            dateBuckets[key] = list
        }
        mergeRecentIDs()
    }

    mutating func mergeRecentIDs() {
        guard !recentIDs.isEmpty else { return }
        sortedIDs.append(contentsOf: recentIDs)
        sortedIDs.sort()
        recentIDs.removeAll(keepingCapacity: true)
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
