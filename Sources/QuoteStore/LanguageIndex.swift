import QuoteCore

/// The language codes quotes carry, by id; each entry's `langID` names one (or is
/// `.max`), and a search by language compares ids.
struct LanguageIndex: SearchIndex {
    var codes = ByteKeyTable()

    init() {}

    /// The id of a language code, interning it if new.
    mutating func intern(_ code: UnsafeRawBufferPointer) -> UInt32 {
        codes.intern(code).id
    }

    // Section: codes table.
    func save(into writer: inout ByteWriter, entries: [ArchiveEntry]) {
        writer.writeSnapshotTable(codes)
    }

    init(snapshot reader: inout SnapshotReader, ordinals: UInt32) throws(IndexSnapshot.Rejection) {
        codes = try reader.table()
    }
}
