import Dispatch
import Foundation
import QuoteCore
import QuoteStore

// Small helpers shared by the store tests: temporary directories, blocking (async)
// wrappers around the archive's callback API, a seeded generator, and log-file surgery.

/// Runs `body` with a fresh empty directory under the system temporary directory and
/// removes it afterwards, whatever happens.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async rethrows -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("quote-store-tests-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Opens the archive in `path`, runs `body`, then closes it; the archive (and with it the
/// directory lock) is released when this returns, so the next open of `path` succeeds.
func withArchive<T>(_ path: String, durability: Archive.Durability = .never, repair: Bool = false,
                    searchWorkBudget: Int = Archive.defaultSearchWorkBudget,
                    _ body: (Archive) async throws -> T) async throws -> T {
    var options = Archive.Options()
    options.durability = durability
    options.repair = repair
    options.searchWorkBudget = searchWorkBudget
    let archive = try Archive(path: path, options: options)
    defer { archive.close() }
    return try await body(archive)
}

/// Async forms of the archive's completion-handler writes.
extension Archive {
    func add(_ quotes: [Quote]) async -> [AddResult] {
        await withCheckedContinuation { continuation in
            add(quotes) { continuation.resume(returning: $0) }
        }
    }

    func add(_ quote: Quote) async -> AddResult {
        await add([quote])[0]
    }

    func add(_ quotes: [Quote], replace: Bool) async -> [AddResult] {
        await withCheckedContinuation { continuation in
            add(quotes, replace: replace) { continuation.resume(returning: $0) }
        }
    }

    func edit(_ idOrPrefix: String, to quote: Quote) async throws(ArchiveError) -> (AddResult, previous: QuoteID) {
        let result = await withCheckedContinuation { continuation in
            edit(idOrPrefix, to: quote) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    @discardableResult
    func delete(_ idOrPrefix: String) async throws(ArchiveError) -> QuoteID {
        let result = await withCheckedContinuation { continuation in
            delete(idOrPrefix) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    @discardableResult
    func apply(_ ops: [Op]) async throws(ArchiveError) -> Int {
        let result = await withCheckedContinuation { continuation in
            apply(ops) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    func barrier() async {
        await withCheckedContinuation { continuation in barrier { continuation.resume() } }
    }

    /// Every op in the log, in sequence order.
    func allChanges() throws -> [SequencedOp] {
        var ops: [SequencedOp] = []
        while true {
            let page = try changes(since: ops.last?.sequence ?? 0, maxOps: 1000)
            if page.ops.isEmpty { return ops }
            ops += page.ops
        }
    }

    /// Every live quote, in search order.
    func allQuotes(_ filter: SearchFilter = SearchFilter()) throws -> [ArchivedQuote] {
        var quotes: [ArchivedQuote] = []
        var cursor: [UInt8] = []
        repeat {
            let page = try search(filter, limit: 100, cursor: cursor)
            quotes += page.quotes
            cursor = page.cursor
        } while !cursor.isEmpty
        return quotes
    }
}

/// Searches that together reach every index (speakers, dates, words, tags, languages), and
/// quotes that fill them: for tests that compare indexes arrived at in different ways.
enum IndexProbe {
    static let filters: [SearchFilter] = {
        var filters = [SearchFilter()]
        filters += ["ada", "mark", "chen", "ada lovelace", "hopper"].map { SearchFilter(speaker: $0) }
        filters += ["2024-06", "2024", "1999"].map { SearchFilter(from: try! QuoteDate(parsing: $0), to: try! QuoteDate(parsing: $0)) }
        filters += ["quote", "deferred", "after", "snapshot", "tail", "17", "word3"].map { SearchFilter(words: $0) }
        filters += [SearchFilter(tags: ["odd"]), SearchFilter(lang: "fr")]
        return filters
    }()

    /// The ids each of `filters` finds, in search order.
    static func listings(_ archive: Archive) throws -> [[QuoteID]] {
        try filters.map { try archive.allQuotes($0).map(\.id) }
    }

    /// Quotes `label quote N wordK` for N in `range`, with speakers, dates, languages and
    /// tags drawn from a few of each.
    static func quotes(_ label: String, _ range: Range<Int>, seed: UInt64) -> [Quote] {
        var generator = SplitMix64(seed: seed &+ UInt64(range.lowerBound))
        let speakers = ["Ada Lovelace", "Ada Byron", "Mark Chen", "Mark Zuckerberg", "Grace Hopper"]
        let dates: [String?] = [nil, "2024", "2024-06", "2024-06-01", "1999", "2025-01-15"]
        return range.map { index in
            makeQuote("\(label) quote \(index) word\(index % 7)", by: speakers.randomElement(using: &generator)!,
                      date: dates.randomElement(using: &generator)!, lang: index % 3 == 0 ? "fr" : nil,
                      tags: index % 2 == 1 ? ["odd"] : [])
        }
    }
}

/// A quote with just the fields a test cares about.
func makeQuote(_ text: String, by speaker: String = "Ada Lovelace", date: String? = nil,
               lang: String? = nil, tags: [String] = []) -> Quote {
    Quote(text: text, speaker: speaker, date: date.map { try! QuoteDate(parsing: $0) }, lang: lang, tags: tags)
}

/// The canonical form of a quote and its id, as the archive will store it.
func canonical(_ quote: Quote) -> (quote: Quote, id: QuoteID) {
    let canonical = try! quote.canonicalized()
    return (canonical, canonical.id)
}

/// Raw access to a data directory's log, for cutting, flipping and corrupting it.
enum LogBytes {
    static func path(in directory: String) -> String { directory + "/quotes.log" }

    static func read(_ directory: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path(in: directory)) ?? Data())
    }

    static func write(_ bytes: [UInt8], to directory: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path(in: directory), contents: Data(bytes))
    }

    /// The start offset of every record, and the end of the last one.
    static func recordBoundaries(_ image: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var offset = LogFormat.headerBytes
        while offset + LogFormat.recordHeaderBytes <= image.count {
            offsets.append(offset)
            let length = Int(image[offset]) << 24 | Int(image[offset + 1]) << 16
                | Int(image[offset + 2]) << 8 | Int(image[offset + 3])
            offset += LogFormat.recordHeaderBytes + length
        }
        offsets.append(offset)
        return offsets
    }
}
