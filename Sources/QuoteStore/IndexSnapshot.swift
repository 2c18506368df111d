import Dispatch
import QuotePOSIX
import QuoteCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The search indexes saved when an archive is closed, so that the next open loads them
/// instead of building them again from every quote, which is most of the time opening a
/// large log takes.
///
/// The log stays the only source of truth. A snapshot covers the archive's first `count`
/// ordinals (ids in the order the log first mentions them) and names them by the SHA-256
/// of those ids: an open uses it only if its log gives the same ordinals the same ids, and
/// indexes the quotes the log holds beyond it one by one. A snapshot that is damaged,
/// written for another log, or too far behind is set aside and the indexes are built from
/// the log as if it were absent. Format: Protocol/STORAGE.md, "Index snapshot".
enum IndexSnapshot {
    static let fileName = "indexes"
    static let magic: [UInt8] = Array("QUOTEIDX".utf8)
    /// 2: each index in its own named section (1 had one fixed layout; it is set aside and
    /// the indexes built, which costs one slower open and the next close writes version 2).
    /// 3: metadata checksums. 4: word and speaker keys folded by the extended table
    /// (`TextFolder`: U+1E00–U+1FFF, `extraFolds`); a version-3 snapshot holds keys folded
    /// the old way, so it is set aside and the indexes are built from the log once.
    /// 5: the `word-pairs` section (`WordPairIndex`); a version-4 snapshot lacks it, so it is
    /// set aside likewise.
    static let version: UInt32 = 5
    /// Magic, version, body checksum, body length.
    static let headerBytes = 8 + 4 + 4 + 8

    /// Why a snapshot was not used.
    struct Rejection: Error {
        var reason: String
    }

    /// The snapshot file in the data directory `directory`.
    static func path(in directory: String) -> String { directory + "/" + fileName }

    /// The snapshot file's bytes; nil if there is none. Any other failure to read it is a
    /// rejection: the indexes are then built from the log.
    static func read(from directory: String) throws(Rejection) -> [UInt8]? {
        do {
            return try SystemCall.readFile(path(in: directory))
        } catch {
            throw Rejection(reason: "cannot read the snapshot: \(error)")
        }
    }

    /// Writes `state`'s snapshot into `directory` through a temporary file and a rename, so
    /// a crash leaves the old snapshot or the whole new one; returns its size.
    static func write(_ state: ArchiveState, to directory: String) throws(SystemError) -> Int {
        let bytes = encode(state)
        let path = path(in: directory)
        do {
            try DataDirectory.writeDurably(bytes, to: path, directory: directory)
        } catch {
            // A full disk must not keep tens of megabytes of a half-written snapshot.
            try? SystemCall.removeFile(path + ".tmp")
            throw error
        }
        return bytes.count
    }

    /// The snapshot of `state`'s indexes, header included.
    static func encode(_ state: ArchiveState) -> [UInt8] {
        let entries = state.entries
        let count = entries.count
        // One buffer for header and file, sized near its end (per ordinal: three fields, its
        // id-order slot, its date bucket, a few speaker lists and its word pairs), so tens of
        // megabytes are neither regrown nor copied behind a header; the header is filled in last.
        let postingBytes = (state.indexes.words.postings + state.indexes.tags.postings).reduce(0) { $0 + $1.bytes.count + 12 }
        var file = ByteWriter(capacity: headerBytes + 64 + count * 48 + postingBytes)
        file.writeBytes(magic)
        file.writeInteger(version)
        file.writeInteger(UInt32(0))  // checksum
        file.writeInteger(UInt64(0))  // body length
        file.writeBytes(fingerprint(entries, count: count))
        file.writeInteger(UInt32(count))
        // The entries' own index fields, by ordinal, then one section per index.
        var unindexed: [UInt32] = []
        var sortKeys: [UInt32] = []
        var speakerIDs: [UInt32] = []
        var languageIDs: [UInt32] = []
        var metadataChecksums: [UInt32] = []
        metadataChecksums.reserveCapacity(count)
        sortKeys.reserveCapacity(count)
        speakerIDs.reserveCapacity(count)
        languageIDs.reserveCapacity(count)
        for (ordinal, entry) in entries.enumerated() {
            if entry.rawLocation == ArchiveEntry.noLocation {
                unindexed.append(UInt32(ordinal))
                metadataChecksums.append(0)
            } else {
                metadataChecksums.append(metadataChecksum(state.arena.bytes(at: entry.rawLocation)))
            }
            sortKeys.append(entry.sortKey)
            speakerIDs.append(entry.speakerID)
            languageIDs.append(entry.langID)
        }
        file.writeSnapshotList(unindexed)
        file.writeSnapshotValues(sortKeys)
        file.writeSnapshotValues(speakerIDs)
        file.writeSnapshotValues(languageIDs)
        file.writeSnapshotValues(metadataChecksums)
        let registered = SearchIndexes.registered
        file.writeInteger(UInt32(registered.count))
        for index in registered {
            file.writeLengthPrefixed(Array(index.section.utf8))
            let lengthAt = file.count
            file.writeInteger(UInt64(0))
            index.save(state.indexes, entries, &file)
            let length = UInt64(file.count - lengthAt - 8)
            file.setInteger(UInt32(truncatingIfNeeded: length >> 32), at: lengthAt)
            file.setInteger(UInt32(truncatingIfNeeded: length), at: lengthAt + 4)
        }

        let bodyLength = file.count - headerBytes
        let checksum = file.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[headerBytes...])) }
        file.setInteger(checksum, at: 12)
        file.setInteger(UInt32(truncatingIfNeeded: UInt64(bodyLength) >> 32), at: 16)
        file.setInteger(UInt32(truncatingIfNeeded: bodyLength), at: 20)
        return file.bytes
    }

    /// The CRC-32C of a quote's metadata (date, source, lang, tags): with its id, what fixes
    /// the content an ordinal was indexed with, since metadata can change under one id.
    static func metadataChecksum(_ quote: UnsafeRawBufferPointer) -> UInt32 {
        let fields = QuoteFields(quote)
        return CRC32C.checksum(fields.slice(fields.metadata))
    }

    /// Whether every ordinal below `count` the snapshot indexed (all but `unindexed`) holds
    /// metadata with the checksum the snapshot recorded. On both cores: it reads every quote.
    private static func metadataMatches(_ state: ArchiveState, count: Int, unindexed: [UInt32],
                                        checksums: [UInt32]) -> Bool {
        let chunks = 4
        let mismatches = Atomic<Int>(0)
        state.entries.withUnsafeBufferPointer { entries in
            let input = UncheckedChecksumInput(entries: entries, arena: state.arena, unindexed: unindexed, checksums: checksums)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let (lower, upper) = (count * chunk / chunks, count * (chunk + 1) / chunks)
                var next = input.unindexed.partitionPoint { $0 >= UInt32(lower) }
                for ordinal in lower..<upper {
                    if next < input.unindexed.count && input.unindexed[next] == UInt32(ordinal) {
                        next += 1
                        continue
                    }
                    let quote = input.arena.bytes(at: input.entries[ordinal].rawLocation)
                    if metadataChecksum(quote) != input.checksums[ordinal] {
                        mismatches.add(1, ordering: .relaxed)
                        return
                    }
                }
            }
        }
        return mismatches.load(ordering: .relaxed) == 0
    }

    /// The SHA-256 of the ids of the first `count` entries, in ordinal order: with each
    /// indexed ordinal's metadata checksum, what a snapshot's indexes depend on.
    static func fingerprint(_ entries: [ArchiveEntry], count: Int) -> [UInt8] {
        var hash = SHA256()
        var buffer = ByteWriter(capacity: 64 << 10)
        for entry in entries[0..<count] {
            buffer.writeInteger(entry.id.high)
            buffer.writeInteger(entry.id.low)
            if buffer.count >= 64 << 10 {
                hash.update(buffer.bytes)
                buffer.truncate(to: 0)
            }
        }
        hash.update(buffer.bytes)
        return hash.finalize()
    }

    /// Loads `file` into `state`, which holds a log just applied with every quote located
    /// but nothing indexed. Throws, leaving `state` as it was, if the snapshot cannot be
    /// used; `maxTail` bounds how many quotes it may lack (indexing them one by one costs
    /// more than a build from scratch past some point). Returns the ordinals the snapshot
    /// covers and those left to index, ascending.
    static func load(_ file: [UInt8], into state: inout ArchiveState,
                     maxTail: (Int) -> Int) throws(Rejection) -> (count: Int, tail: [UInt32]) {
        try file.withUnsafeBytes { raw in
            Result { () throws(Rejection) in try load(raw, into: &state, maxTail: maxTail) }
        }.get()
    }

    private static func load(_ raw: UnsafeRawBufferPointer, into state: inout ArchiveState,
                             maxTail: (Int) -> Int) throws(Rejection) -> (count: Int, tail: [UInt32]) {
        guard raw.count >= headerBytes, raw.prefix(8).elementsEqual(magic) else {
            throw Rejection(reason: "not an index snapshot")
        }
        var header = SnapshotReader(raw, from: 8)
        let fileVersion = try header.u32()
        guard fileVersion == version else { throw Rejection(reason: "snapshot format version \(fileVersion)") }
        let checksum = try header.u32()
        guard try header.u64() == UInt64(raw.count - headerBytes) else { throw Rejection(reason: "snapshot cut short") }
        let bodyBytes = UnsafeRawBufferPointer(rebasing: raw[headerBytes...])
        guard CRC32C.checksum(bodyBytes) == checksum else { throw Rejection(reason: "snapshot checksum mismatch") }
        var body = SnapshotReader(bodyBytes, from: 0)
        return try load(&body, into: &state, maxTail: maxTail)
    }

    private static func load(_ body: inout SnapshotReader, into state: inout ArchiveState,
                             maxTail: (Int) -> Int) throws(Rejection) -> (count: Int, tail: [UInt32]) {
        let stored = try body.bytes(32)
        let count = Int(try body.u32())
        guard count <= state.entries.count else { throw Rejection(reason: "snapshot covers more quotes than the log holds") }
        let ordinalLimit = UInt32(count)
        guard fingerprint(state.entries, count: count).elementsEqual(stored) else {
            throw Rejection(reason: "snapshot was written for another log")
        }
        // Every ordinal the snapshot indexed must have its quote in the log; those it did not
        // (ids first seen as a tombstone) may have one now.
        let unindexed = try body.list(below: ordinalLimit)
        var tail: [UInt32] = []
        try state.entries.withUnsafeBufferPointer { (entries: UnsafeBufferPointer<ArchiveEntry>) throws(Rejection) in
            var next = 0
            for ordinal in 0..<count {
                let located = entries[ordinal].rawLocation != ArchiveEntry.noLocation
                if next < unindexed.count && unindexed[next] == UInt32(ordinal) {
                    next += 1
                    if located { tail.append(UInt32(ordinal)) }
                } else if !located {
                    throw Rejection(reason: "snapshot indexes a quote the log lacks")
                }
            }
            guard next == unindexed.count else { throw Rejection(reason: "snapshot's unindexed ordinals out of order") }
            for ordinal in count..<entries.count where entries[ordinal].rawLocation != ArchiveEntry.noLocation {
                tail.append(UInt32(ordinal))
            }
        }
        guard tail.count <= maxTail(count) else {
            throw Rejection(reason: "the log holds \(tail.count) quotes the snapshot lacks")
        }
        let sortKeys = try body.values(count)
        let speakerIDs = try body.values(count)
        let languageIDs = try body.values(count)
        let metadataChecksums = try body.values(count)
        guard metadataMatches(state, count: count, unindexed: unindexed, checksums: metadataChecksums) else {
            throw Rejection(reason: "snapshot indexed other metadata than the log holds")
        }
        for key in sortKeys where key != .max {
            let (year, month, day) = (key >> 16, key >> 8 & 0xFF, key & 0xFF)
            guard year >= 1, month <= 12, day <= 31 else { throw Rejection(reason: "snapshot holds an impossible date") }
        }
        // Each registered index reads its own section, found by name, to its end exactly.
        var sections: [String: UnsafeRawBufferPointer] = [:]
        for _ in 0..<Int(try body.u32()) {
            let name = String(decoding: try body.bytes(Int(try body.u32())), as: UTF8.self)
            let length = try body.u64()
            guard length <= UInt64(Int.max) else { throw Rejection(reason: "snapshot cut short") }
            guard sections.updateValue(try body.bytes(Int(length)), forKey: name) == nil else {
                throw Rejection(reason: "snapshot repeats its \(name) section")
            }
        }
        guard body.isAtEnd else { throw Rejection(reason: "snapshot has bytes past its end") }
        var indexes = SearchIndexes()
        let registered = SearchIndexes.registered
        for index in registered {
            guard let bytes = sections[index.section] else { throw Rejection(reason: "snapshot lacks its \(index.section) section") }
            var reader = SnapshotReader(bytes, from: 0)
            try index.load(&reader, ordinalLimit, &indexes)
            guard reader.isAtEnd else { throw Rejection(reason: "snapshot's \(index.section) section has bytes past its end") }
        }
        if let unknown = sections.keys.first(where: { name in !registered.contains { $0.section == name } }) {
            throw Rejection(reason: "snapshot has a \(unknown) section this version does not know")
        }
        guard speakerIDs.allSatisfy({ $0 < max(indexes.speakers.names.count, 1) }),
              languageIDs.allSatisfy({ $0 == .max || $0 < indexes.languages.codes.count }) else {
            throw Rejection(reason: "snapshot names a speaker or language it lacks")
        }

        // Everything checked: only now does `state` change.
        state.entries.withUnsafeMutableBufferPointer { entries in
            for ordinal in 0..<count {
                entries[ordinal].sortKey = sortKeys[ordinal]
                entries[ordinal].speakerID = speakerIDs[ordinal]
                entries[ordinal].langID = languageIDs[ordinal]
            }
        }
        state.orderKeys = state.entries.map(ArchiveState.orderKey)
        state.indexes = indexes
        return (count, tail)
    }
}

/// What the metadata check's threads read; nothing changes it while they run.
private struct UncheckedChecksumInput: @unchecked Sendable {
    let entries: UnsafeBufferPointer<ArchiveEntry>
    let arena: QuoteArena
    let unindexed: [UInt32]
    let checksums: [UInt32]
}
