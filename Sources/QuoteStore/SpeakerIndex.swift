import QuoteCore

/// The speaker index: raw speaker names, and for each the keys a search may name it by
/// (its folded whole name and each folded word of it), each key with the ordinals of its
/// quotes in (date, id) order.
struct SpeakerIndex: SearchIndex {
    /// Raw speaker bytes, by speaker id (what each entry's `speakerID` names).
    var names = ByteKeyTable()
    /// By speaker id: the ids of its keys.
    var keysBySpeaker: [[UInt32]] = []
    /// Folded whole names and folded name words, by key id.
    var keys = ByteKeyTable()
    /// By key id: its quotes' ordinals, in (date, id) order.
    var lists: [SortedOrdinalList] = []
    /// By key id: the speakers having it, ascending (derived from `keysBySpeaker`, so not
    /// in the snapshot): a query finds the speakers it matches before any quote.
    var speakersByKey: [[UInt32]] = []

    init() {}

    /// The speaker id of a raw speaker name, interning it and its keys if new.
    mutating func intern(_ raw: UnsafeRawBufferPointer, folder: TextFolder) -> UInt32 {
        let speaker = names.intern(raw)
        if speaker.isNew {
            let keys = internKeys(of: raw, folder: folder)
            keysBySpeaker.append(keys)
            for key in keys { speakersByKey[Int(key)].append(speaker.id) }
        }
        return speaker.id
    }

    private mutating func internKeys(of raw: UnsafeRawBufferPointer, folder: TextFolder) -> [UInt32] {
        var folded: [[UInt8]] = []
        folder.forEachWord(in: raw) { folded.append(Array($0)) }
        var phrase: [UInt8] = []
        for word in folded {
            if !phrase.isEmpty { phrase.append(0x20) }
            phrase.append(contentsOf: word)
        }
        var ids: [UInt32] = []
        for key in [phrase] + folded where !key.isEmpty {
            let (id, isNew) = key.withUnsafeBytes { keys.intern($0) }
            if isNew {
                lists.append(SortedOrdinalList())
                speakersByKey.append([])
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// Puts `ordinal`, whose speaker is `speakerID`, into each of its keys' lists.
    mutating func insert(_ ordinal: UInt32, speakerID: UInt32, by precedes: (UInt32, UInt32) -> Bool) {
        for key in keysBySpeaker[Int(speakerID)] { lists[Int(key)].insert(ordinal, by: precedes) }
    }

    // Section: names table ‖ keys table ‖ per speaker: list of key ids ‖ per key: list of
    // ordinals in (date, id) order.
    func save(into writer: inout ByteWriter, entries: [ArchiveEntry]) {
        writer.writeSnapshotTable(names)
        writer.writeSnapshotTable(keys)
        for keys in keysBySpeaker { writer.writeSnapshotList(keys) }
        for list in lists { writer.writeSnapshotList(list.ordinals) }
    }

    init(snapshot reader: inout SnapshotReader, ordinals: UInt32) throws(IndexSnapshot.Rejection) {
        names = try reader.table()
        keys = try reader.table()
        keysBySpeaker.reserveCapacity(names.count)
        for _ in 0..<names.count { keysBySpeaker.append(try reader.list(below: UInt32(keys.count))) }
        lists.reserveCapacity(keys.count)
        for _ in 0..<keys.count { lists.append(try reader.sortedList(below: ordinals)) }
        speakersByKey = [[UInt32]](repeating: [], count: keys.count)
        for (speaker, keys) in keysBySpeaker.enumerated() {
            for key in keys { speakersByKey[Int(key)].append(UInt32(speaker)) }
        }
    }
}
