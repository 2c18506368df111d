import Dispatch
import QuoteCore
import Synchronization

// Opening a log applies every record first, noting only where each put's quote is, and
// builds the indexes here in one go: the word index (most of the work) on two cores, in
// pieces by ordinal joined at the end, the others alongside it; lists that must be in
// (date, id) order are filled from one radix sort instead of sorting each list.
extension ArchiveState {
    /// Builds every index after a bulk load, or loads them from `snapshot` (an index
    /// snapshot file's bytes) if it fits the log; the state then takes single writes.
    mutating func finishBulkLoad(snapshot: [UInt8]? = nil) -> IndexSource {
        bulkLoading = false
        compactImage()
        guard let snapshot else {
            buildIndexes()
            return .built(reason: "no index snapshot")
        }
        do {
            // Indexing quotes one by one costs several times what the bulk build spends
            // per quote: past an eighth of the snapshot, building them all is faster.
            let (count, tail) = try IndexSnapshot.load(snapshot, into: &self) { max(10_000, $0 / 8) }
            indexTail(tail, after: count)
            snapshotIsCurrent = tail.isEmpty && count == entries.count
            return .snapshot(quotes: count, tail: tail.count)
        } catch {
            buildIndexes()
            return .built(reason: error.reason)
        }
    }

    /// Indexes, one by one, the located quotes an index snapshot lacked (`tail`, ascending),
    /// and puts the ordinals from `count` on, which it did not know, into the id order.
    private mutating func indexTail(_ tail: [UInt32], after count: Int) {
        for ordinal in tail {
            let bytes = arena.bytes(at: entries[Int(ordinal)].rawLocation)
            indexFields(QuoteFields(bytes), ordinal: ordinal)
        }
        for ordinal in count..<entries.count {
            indexes.idOrder.recent.append(UInt32(ordinal))
            indexes.idOrder.recentIDHighs.append(entries[ordinal].id.high)
        }
        indexes.idOrder.merge(entries)
    }

    /// Drops every index and builds them all again over every quote: how indexing that
    /// was deferred while a large backlog of ops was applied catches up. The quotes stay
    /// where the arena has them.
    mutating func rebuildIndexes() {
        bulkLoading = false
        bulkLocated = []
        indexes = SearchIndexes()
        snapshotIsCurrent = false
        buildIndexes()
    }

    /// Builds every index from scratch over the located entries.
    private mutating func buildIndexes() {
        var indexed: [UInt32] = []
        var locations: [QuoteArena.Location] = []
        indexed.reserveCapacity(entries.count)
        locations.reserveCapacity(entries.count)
        for (ordinal, entry) in entries.enumerated() where entry.rawLocation != ArchiveEntry.noLocation {
            indexed.append(UInt32(ordinal))
            locations.append(entry.rawLocation)
        }
        // The word index is built in pieces by ordinal range, taken in turn by a worker
        // thread and, once the other indexes are done, by this one, so both cores stay busy
        // to the end whatever the split of the work; the pieces are joined in order.
        let pieces = WordIndexPieces(count: 8, of: indexed.count, ordinals: entries.count)
        let done = DispatchSemaphore(value: 0)
        let (arena, folder) = (self.arena, self.folder)
        let shared = UncheckedWordIndexInput(ordinals: indexed, locations: locations)
        DispatchQueue.global(qos: .userInitiated).async {
            pieces.build(shared.ordinals, shared.locations, arena: arena, folder: folder)
            done.signal()
        }
        buildOtherIndexes(indexed, locations)
        pieces.build(indexed, locations, arena: arena, folder: folder)
        done.wait()
        (indexes.words.terms, indexes.words.postings) = pieces.joined()
        indexes.wordPairs = WordPairIndex(signatures: pieces.signatures())
    }

    /// Moves every located quote down over the record headers and lost ops around it and
    /// gives the image's unused tail back: a sixth of the log need not stay in memory.
    private mutating func compactImage() {
        defer { bulkLocated = [] }
        guard let image = arena.chunks.first, !bulkLocated.isEmpty else { return }
        let base = image.mutableBytes.baseAddress!
        var destination = 0
        entries.withUnsafeMutableBufferPointer { entries in
            // Quotes sit in the image in the order they were located, so each moves down.
            for ordinal in bulkLocated {
                let source = Int(entries[Int(ordinal)].rawLocation & 0xFF_FFFF_FFFF)
                let length = QuoteFields.encodedLength(UnsafeRawBufferPointer(start: base + source, count: image.count - source))
                if source != destination { (base + destination).copyMemory(from: base + source, byteCount: length) }
                entries[Int(ordinal)].rawLocation = QuoteArena.location(chunk: 0, offset: destination)
                destination += length
            }
        }
        image.shrink(to: destination)
    }

    /// Dates, speakers, languages, tags and the id order, for the ordinals in `indexed`
    /// (ascending) whose quotes are at `locations`.
    private mutating func buildOtherIndexes(_ indexed: [UInt32], _ locations: [QuoteArena.Location]) {
        var entries = self.entries
        self.entries = []
        entries.withUnsafeMutableBufferPointer { entries in
            for (ordinal, location) in zip(indexed, locations) {
                let fields = QuoteFields(arena.bytes(at: location))
                if fields.year != 0 {
                    entries[Int(ordinal)].sortKey = UInt32(fields.year) << 16 | UInt32(fields.month) << 8 | UInt32(fields.day)
                }
                if !fields.lang.isEmpty {
                    entries[Int(ordinal)].langID = indexes.languages.intern(fields.slice(fields.lang))
                }
                for tag in fields.tags { indexes.tags.post(fields.slice(tag), ordinal: ordinal) }
                entries[Int(ordinal)].speakerID = indexes.speakers.intern(fields.slice(fields.speaker), folder: folder)
            }
        }
        self.entries = entries
        orderKeys = entries.map(ArchiveState.orderKey)

        // Speaker lists and date buckets in (date, id) order, filled from one sort.
        var keys = [UInt64](repeating: 0, count: indexed.count)
        for (index, ordinal) in indexed.enumerated() {
            let entry = entries[Int(ordinal)]
            keys[index] = UInt64(entry.sortKey) << 32 | entry.id.high >> 32
        }
        let (dateKeys, byDate) = RadixSort.sorted(keys, indexed) { entries[Int($0)].id < entries[Int($1)].id }
        // Speakers by ordinal, dense: the passes below visit ordinals in date order, and
        // reading each speaker from its 56-byte entry missed the cache every time.
        var speakerIDs = [UInt32](repeating: 0, count: entries.count)
        for ordinal in indexed { speakerIDs[Int(ordinal)] = entries[Int(ordinal)].speakerID }
        // Each speaker key's list is its slice of `byDate`: counted, then filled into one
        // flat array, so no list grows one ordinal at a time.
        let speakerIndex = indexes.speakers
        var keyStarts = [Int](repeating: 0, count: speakerIndex.keysBySpeaker.count + 1)
        var flatKeys: [UInt32] = []
        for (speaker, keys) in speakerIndex.keysBySpeaker.enumerated() {
            flatKeys.append(contentsOf: keys)
            keyStarts[speaker + 1] = flatKeys.count
        }
        let keyCount = speakerIndex.lists.count
        var listStarts = [Int](repeating: 0, count: keyCount + 1)
        for ordinal in byDate {
            let speaker = Int(speakerIDs[Int(ordinal)])
            for position in keyStarts[speaker]..<keyStarts[speaker + 1] { listStarts[Int(flatKeys[position]) + 1] += 1 }
        }
        for key in 0..<keyCount { listStarts[key + 1] += listStarts[key] }
        var grouped = [UInt32](repeating: 0, count: listStarts[keyCount])
        var filled = listStarts
        for ordinal in byDate {
            let speaker = Int(speakerIDs[Int(ordinal)])
            for position in keyStarts[speaker]..<keyStarts[speaker + 1] {
                let key = Int(flatKeys[position])
                grouped[filled[key]] = ordinal
                filled[key] += 1
            }
        }
        grouped.withUnsafeBufferPointer { grouped in
            for key in 0..<keyCount {
                indexes.speakers.lists[key] = SortedOrdinalList(sorted: UnsafeBufferPointer(rebasing: grouped[listStarts[key]..<listStarts[key + 1]]))
            }
        }
        // Buckets are runs of `byDate`, which is sorted by date (the keys' top half) first.
        byDate.withUnsafeBufferPointer { byDate in
            var bucketStart = 0
            for index in 0..<byDate.count {
                let bucket = DateIndex.bucket(UInt32(dateKeys[index] >> 32))
                if index + 1 == byDate.count || DateIndex.bucket(UInt32(dateKeys[index + 1] >> 32)) != bucket {
                    indexes.dates.appendBucket(bucket, UnsafeBufferPointer(rebasing: byDate[bucketStart...index]))
                    bucketStart = index + 1
                }
            }
        }

        var idKeys = [UInt64](repeating: 0, count: entries.count)
        for (ordinal, entry) in entries.enumerated() { idKeys[ordinal] = entry.id.high }
        indexes.idOrder = IDOrder()
        indexes.idOrder.sorted = RadixSort.sorted(idKeys, Array(0..<UInt32(entries.count))) { entries[Int($0)].id < entries[Int($1)].id }.values
    }
}

/// The word index of a log being opened, as pieces over ranges of ordinals that threads
/// take in turn.
final class WordIndexPieces: @unchecked Sendable {
    // @unchecked: each piece is built by the one thread that took its number from `next`,
    // and read by `joined()` only after every builder has returned (a semaphore orders them).
    // The pieces' ordinals are disjoint, so each writes its own slots of `pairSignatures`.
    private let bounds: [Int]
    private let pieces: [WordIndexPiece]
    private let next = Atomic<Int>(0)
    private let pairSignatures: UnsafeMutableBufferPointer<UInt64>

    /// `count` pieces over `total` indexed quotes, of an archive of `ordinals` entries.
    init(count: Int, of total: Int, ordinals: Int) {
        bounds = (0...count).map { total * $0 / count }
        pieces = (0..<count).map { _ in WordIndexPiece() }
        pairSignatures = .allocate(capacity: ordinals)
        pairSignatures.initialize(repeating: 0)
    }

    deinit {
        pairSignatures.deallocate()
    }

    /// Every ordinal's `WordPairIndex` bits, once every builder has returned.
    func signatures() -> [UInt64] {
        Array(pairSignatures)
    }

    /// Builds pieces until none is left to take.
    func build(_ ordinals: [UInt32], _ locations: [QuoteArena.Location], arena: QuoteArena, folder: TextFolder) {
        while true {
            let piece = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard piece < pieces.count else { return }
            let range = bounds[piece]..<bounds[piece + 1]
            pieces[piece].add(ordinals[range], locations[range], arena: arena, folder: folder, pairSignatures: pairSignatures)
        }
    }

    /// The pieces joined in order: one index, as a single pass would have built it. Each
    /// word's list is allocated once at its final size: joined piece by piece, lists
    /// regrew and left the heap full of holes.
    func joined() -> (table: ByteKeyTable, postings: [PostingList]) {
        var table = ByteKeyTable(capacity: 1 << 16)
        var parts: [[PostingList.Encoded]] = []
        for piece in pieces {
            for number in 0..<piece.count {
                let (mine, isNew) = table.intern(piece.key(number))
                if isNew { parts.append([]) }
                let word = piece.words[number]
                parts[Int(mine)].append(PostingList.Encoded(bytes: piece.list(number), count: Int(word.postings), last: word.last))
            }
        }
        return (table, parts.map(PostingList.init(joining:)))
    }
}

/// The bulk load's ordinals and locations, read by the word-index worker while the
/// opening thread reads them too; neither changes them.
private struct UncheckedWordIndexInput: @unchecked Sendable {
    let ordinals: [UInt32]
    let locations: [QuoteArena.Location]
}

/// A stable least-significant-digit radix sort of values by 64-bit keys, 11 bits a pass,
/// skipping the passes where every key has the same digit.
enum RadixSort {
    /// `values` ordered by `keys`, and the keys in that order; values whose keys are equal
    /// are then ordered by `tieBreak`.
    static func sorted(_ keys: [UInt64], _ values: [UInt32],
                       tieBreak: (UInt32, UInt32) -> Bool) -> (keys: [UInt64], values: [UInt32]) {
        let count = keys.count
        var keys = keys
        var values = values
        guard count > 1 else { return (keys, values) }
        let digitBits = 11
        let passes = (64 + digitBits - 1) / digitBits
        let radix = 1 << digitBits
        var histograms = [Int](repeating: 0, count: passes * radix)
        for key in keys {
            for pass in 0..<passes { histograms[pass * radix + Int(truncatingIfNeeded: key >> UInt64(pass * digitBits)) & (radix - 1)] += 1 }
        }
        var otherKeys = [UInt64](repeating: 0, count: count)
        var otherValues = [UInt32](repeating: 0, count: count)
        for pass in 0..<passes {
            let shift = UInt64(pass * digitBits)
            let first = Int(truncatingIfNeeded: keys[0] >> shift) & (radix - 1)
            if histograms[pass * radix + first] == count { continue }
            var positions = [Int](repeating: 0, count: radix)
            var total = 0
            for digit in 0..<radix {
                positions[digit] = total
                total += histograms[pass * radix + digit]
            }
            keys.withUnsafeBufferPointer { keys in
                values.withUnsafeBufferPointer { values in
                    otherKeys.withUnsafeMutableBufferPointer { outKeys in
                        otherValues.withUnsafeMutableBufferPointer { outValues in
                            positions.withUnsafeMutableBufferPointer { positions in
                                for index in 0..<count {
                                    let digit = Int(truncatingIfNeeded: keys[index] >> shift) & (radix - 1)
                                    let position = positions[digit]
                                    positions[digit] = position + 1
                                    outKeys[position] = keys[index]
                                    outValues[position] = values[index]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &otherKeys)
            swap(&values, &otherValues)
        }
        var start = 0
        while start < count {
            var end = start + 1
            while end < count && keys[end] == keys[start] { end += 1 }
            if end - start > 1 { values[start..<end].sort(by: tieBreak) }
            start = end
        }
        return (keys, values)
    }
}
