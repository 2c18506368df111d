import QuoteCore

/// One of the archive's search indexes, as the index snapshot sees it: it saves itself as
/// one named section and loads itself back from it.
///
/// Each index owns its data and lives in its own file with its updates beside it: how one
/// quote is added (called from `ArchiveState.indexFields`), how it is built over every
/// quote at open (`ArchiveState+BulkLoad`) and how it answers (`ArchiveState+Search`). The
/// snapshot finds it through `SearchIndexes.registered`, so a new index is a new file, a
/// property of `SearchIndexes` and its line in `registered`; Protocol/STORAGE.md §7 lists
/// the sections.
protocol SearchIndex {
    /// Writes this index's snapshot section. `entries` are the archive's entries by ordinal.
    func save(into writer: inout ByteWriter, entries: [ArchiveEntry])

    /// Reads the section `save` wrote, checking every id and count; every ordinal it names
    /// must be below `ordinals`.
    init(snapshot reader: inout SnapshotReader, ordinals: UInt32) throws(IndexSnapshot.Rejection)
}

/// One registered index: its section name and how to save and load it.
struct IndexRegistration {
    let section: String
    let save: (SearchIndexes, [ArchiveEntry], inout ByteWriter) -> Void
    let load: (inout SnapshotReader, UInt32, inout SearchIndexes) throws(IndexSnapshot.Rejection) -> Void

    init<Index: SearchIndex>(_ section: String, _ index: WritableKeyPath<SearchIndexes, Index>) {
        self.section = section
        save = { indexes, entries, writer in indexes[keyPath: index].save(into: &writer, entries: entries) }
        load = { (reader, ordinals, indexes) throws(IndexSnapshot.Rejection) in
            indexes[keyPath: index] = try Index(snapshot: &reader, ordinals: ordinals)
        }
    }
}
