import QuoteCore

/// An inverted index of byte-string terms (the folded words of the texts, or the tags):
/// each term, by id, with the posting list of the quotes that hold it.
struct TermIndex: SearchIndex {
    var terms: ByteKeyTable
    /// By term id: the ordinals holding it, ascending.
    var postings: [PostingList] = []

    init(capacity: Int = 1024) {
        terms = ByteKeyTable(capacity: capacity)
    }

    /// Posts `ordinal` under `term` (whose `ByteKeyTable` hash is `hash`), interning it if
    /// new. A term repeated in one quote is posted once: the list ignores an ordinal it holds.
    @discardableResult
    mutating func post(_ term: UnsafeRawBufferPointer, hash: UInt64, ordinal: UInt32) -> UInt32 {
        let (id, isNew) = terms.intern(term, hash: hash)
        if isNew { postings.append(PostingList()) }
        postings[Int(id)].append(ordinal)
        return id
    }

    /// Posts `ordinal` under `term`; returns the term's id.
    @discardableResult
    mutating func post(_ term: UnsafeRawBufferPointer, ordinal: UInt32) -> UInt32 {
        post(term, hash: ByteKeyTable.hash(term), ordinal: ordinal)
    }

    // Section: terms table ‖ per term: posting list.
    func save(into writer: inout ByteWriter, entries: [ArchiveEntry]) {
        writer.writeSnapshotTable(terms)
        for list in postings { writer.writeSnapshotPostingList(list) }
    }

    init(snapshot reader: inout SnapshotReader, ordinals: UInt32) throws(IndexSnapshot.Rejection) {
        terms = try reader.table()
        postings.reserveCapacity(terms.count)
        for _ in 0..<terms.count { postings.append(try reader.postingList(below: ordinals)) }
    }
}
