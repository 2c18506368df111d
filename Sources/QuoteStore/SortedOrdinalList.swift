/// Ordinals kept in an order given by the caller ((date, id) for speaker lists and date
/// buckets), stored in chunks of at most `maxChunk`.
///
/// One flat array made every insert in the middle of a long list shift the rest of it: a
/// month everyone quotes, the undated bucket, or a prolific speaker grew to hundreds of
/// thousands of ordinals, and each ADD moved megabytes. A chunk is at most 4 KiB, so an
/// insert shifts at most that, and a full chunk splits in two.
struct SortedOrdinalList {
    static let maxChunk = 1024

    /// Never holds an empty chunk; their concatenation is the list, in order.
    private(set) var chunks: [[UInt32]] = []
    /// Each chunk's last ordinal, side by side: finding a chunk probes this dense array
    /// instead of retaining and loading a chunk per probe.
    private var lasts: [UInt32] = []
    private(set) var count = 0

    /// A place in the list: a chunk and an index in it. `chunk == chunks.count` is the end.
    struct Position: Equatable {
        var chunk: Int
        var index: Int
    }

    var isEmpty: Bool { count == 0 }

    /// The last ordinal, kept apart: reading it through `chunks` retained a chunk per insert.
    private(set) var last: UInt32?

    /// An empty list.
    init() {}

    /// The list of `ordinals`, already in order, cut into full chunks at once.
    init(sorted ordinals: UnsafeBufferPointer<UInt32>) {
        chunks.reserveCapacity((ordinals.count + Self.maxChunk - 1) / Self.maxChunk)
        var start = 0
        while start < ordinals.count {
            let end = min(start + Self.maxChunk, ordinals.count)
            chunks.append(Array(UnsafeBufferPointer(rebasing: ordinals[start..<end])))
            lasts.append(ordinals[end - 1])
            start = end
        }
        count = ordinals.count
        last = ordinals.last
    }

    /// Appends `ordinal`, which must come after every ordinal held.
    mutating func append(_ ordinal: UInt32) {
        if chunks.isEmpty || chunks[chunks.count - 1].count >= Self.maxChunk {
            chunks.append([])
            lasts.append(ordinal)
        }
        chunks[chunks.count - 1].append(ordinal)
        lasts[lasts.count - 1] = ordinal
        count += 1
        last = ordinal
    }

    /// Appends `ordinals`, in order, all of which must come after every ordinal held.
    mutating func append(contentsOf ordinals: some Sequence<UInt32>) {
        for ordinal in ordinals { append(ordinal) }
    }

    /// Inserts `ordinal`, which is not held yet, in its place.
    mutating func insert(_ ordinal: UInt32, by precedes: (UInt32, UInt32) -> Bool) {
        guard let last, precedes(ordinal, last) else {
            append(ordinal)
            return
        }
        // The first chunk whose last ordinal comes after the new one: it goes in there,
        // before that last one, so the chunk's last stays the same.
        let chunk = lasts.partitionPoint { precedes(ordinal, $0) }
        let index = chunks[chunk].partitionPoint { precedes(ordinal, $0) }
        chunks[chunk].insert(ordinal, at: index)
        count += 1
        if chunks[chunk].count > Self.maxChunk {
            let upper = Array(chunks[chunk][(Self.maxChunk / 2)...])
            chunks[chunk].removeSubrange((Self.maxChunk / 2)...)
            chunks.insert(upper, at: chunk + 1)
            lasts.insert(chunks[chunk][chunks[chunk].count - 1], at: chunk)
        }
    }

    /// The first position whose ordinal satisfies `predicate`, which must be false for a
    /// prefix of the list and true for the rest; the end if none does.
    func partitionPoint(_ predicate: (UInt32) -> Bool) -> Position {
        let chunk = lasts.partitionPoint(predicate)
        guard chunk < chunks.count else { return Position(chunk: chunks.count, index: 0) }
        return Position(chunk: chunk, index: chunks[chunk].partitionPoint(predicate))
    }

    /// Calls `body` with each ordinal from `start` on, in order, until it returns false.
    func forEach(from start: Position = Position(chunk: 0, index: 0), _ body: (UInt32) -> Bool) {
        var chunk = start.chunk
        var index = start.index
        while chunk < chunks.count {
            let ordinals = chunks[chunk]
            while index < ordinals.count {
                if !body(ordinals[index]) { return }
                index += 1
            }
            chunk += 1
            index = 0
        }
    }

    /// Each chunk's last ordinal, for tests.
    var lastOfEachChunk: [UInt32] { lasts }

    /// Every ordinal, in order.
    var ordinals: [UInt32] { Array(chunks.joined()) }
}
