import QuoteCore

// Typed calls: each sends one request and unpacks the one response it expects.
extension ArchiveClient {
    /// Checks the server is alive; returns the round trip in seconds.
    @discardableResult
    public func ping() throws(ClientError) -> Double {
        let started = ArchiveClient.monotonicSeconds()
        _ = try call(.ping([]))
        return ArchiveClient.monotonicSeconds() - started
    }

    /// Adds one quote; returns its id (the same id if it was already stored, with the same
    /// metadata or, unless `replace`, with other metadata: `add([quote])` tells which).
    /// A rejected quote throws `.server` with the validation code.
    @discardableResult
    public func add(_ quote: Quote, replace: Bool = false) throws(ClientError) -> QuoteID {
        let result = try add([quote], replace: replace)[0]
        if result.status == .rejected { throw .server(code: result.code, message: result.message) }
        return result.id
    }

    /// Adds quotes: one result per quote, in order. A quote stored with other metadata is
    /// `differs` and left as it is, or with `replace` updated (`updated`). Large inputs are
    /// split into batches of `batchSize` that are all sent before any answer is read
    /// (pipelined).
    public func add(_ quotes: [Quote], replace: Bool = false, batchSize: Int = 1_000) throws(ClientError) -> [AddResult] {
        guard !quotes.isEmpty else { return [] }
        var requests: [Request] = []
        var start = 0
        while start < quotes.count {
            let end = min(quotes.count, start + max(1, batchSize))
            requests.append(.add(Array(quotes[start..<end]), replace: replace))
            start = end
        }
        var results: [AddResult] = []
        results.reserveCapacity(quotes.count)
        for response in try send(requests) {
            switch response {
            case let .added(batch): results.append(contentsOf: batch)
            case let .error(code, message): throw .server(code: code, message: message)
            default: throw .protocolViolation("expected ADD_OK, got \(response.opcode)")
            }
        }
        return results
    }

    /// Replaces the live quote `idOrPrefix` names by `quote` in one durable batch: its
    /// metadata under the same id, or, when the text or speaker changed, the new quote's
    /// put and the old id's delete. Returns what happened to the new quote and the old id;
    /// a replacement that does not validate throws `.server` with the validation code.
    @discardableResult
    public func edit(_ idOrPrefix: String, to quote: Quote) throws(ClientError) -> (result: AddResult, previous: QuoteID) {
        guard case let .edited(result, previous) = try call(.edit(id: idOrPrefix, quote)) else {
            throw .protocolViolation("expected EDIT_OK")
        }
        if result.status == .rejected { throw .server(code: result.code, message: result.message) }
        return (result, previous)
    }

    /// The quote with this id or unique id prefix.
    public func get(_ idOrPrefix: String) throws(ClientError) -> ArchivedQuote {
        guard case let .quote(quote) = try call(.get(idOrPrefix)) else { throw .protocolViolation("expected GET_OK") }
        return quote
    }

    /// Deletes the quote with this id or unique id prefix; returns its full id.
    @discardableResult
    public func delete(_ idOrPrefix: String) throws(ClientError) -> QuoteID {
        guard case let .deleted(id) = try call(.delete(idOrPrefix)) else { throw .protocolViolation("expected DELETE_OK") }
        return id
    }

    /// One page of matches after `cursor` (empty for the first page).
    public func searchPage(_ filter: SearchFilter, limit: Int = 20, cursor: [UInt8] = []) throws(ClientError) -> (quotes: [ArchivedQuote], cursor: [UInt8]) {
        guard case let .searchPage(quotes, next) = try call(.search(filter, limit: UInt32(clamping: limit), cursor: cursor)) else {
            throw .protocolViolation("expected SEARCH_OK")
        }
        return (quotes, next)
    }

    /// Every match, walking all pages; `limit` caps the total (nil for all).
    public func search(_ filter: SearchFilter, limit: Int? = nil, pageSize: Int = 500) throws(ClientError) -> [ArchivedQuote] {
        var all: [ArchivedQuote] = []
        var cursor: [UInt8] = []
        repeat {
            let want = limit.map { min(pageSize, $0 - all.count) } ?? pageSize
            if want <= 0 { break }
            let page = try searchPage(filter, limit: want, cursor: cursor)
            all.append(contentsOf: page.quotes)
            cursor = page.cursor
        } while !cursor.isEmpty
        return all
    }

    /// A lazy sequence over every match, fetching a page at a time.
    public func searchAll(_ filter: SearchFilter, pageSize: Int = 500) -> SearchResults {
        SearchResults(client: self, filter: filter, pageSize: pageSize)
    }

    /// A uniformly random matching quote.
    public func random(_ filter: SearchFilter = SearchFilter()) throws(ClientError) -> ArchivedQuote {
        guard case let .randomQuote(quote) = try call(.random(filter, day: 0)) else { throw .protocolViolation("expected RANDOM_OK") }
        return quote
    }

    /// The quote of the day for `day` (days since 1970-01-01, UTC; today by default): the
    /// same for everyone asking with the same filter.
    public func today(_ filter: SearchFilter = SearchFilter(), day: UInt32 = ArchiveClient.currentDay()) throws(ClientError) -> ArchivedQuote {
        guard case let .randomQuote(quote) = try call(.random(filter, day: day)) else { throw .protocolViolation("expected RANDOM_OK") }
        return quote
    }

    /// Server and archive counters by name.
    public func stats() throws(ClientError) -> [StatEntry] {
        guard case let .stats(entries) = try call(.stats) else { throw .protocolViolation("expected STATS_OK") }
        return entries
    }

    /// The archive's live count and content digest, to compare two hosts (equal when they
    /// hold the same quotes with the same metadata), and the digest of its winning ops.
    public func digest() throws(ClientError) -> (liveCount: UInt64, digest: [UInt8], opsDigest: [UInt8]) {
        guard case let .digest(count, content, ops) = try call(.digest) else { throw .protocolViolation("expected DIGEST_OK") }
        return (count, content, ops)
    }

    /// How many live quotes match `filter` (COUNT).
    public func count(_ filter: SearchFilter) throws(ClientError) -> Int {
        guard case let .count(count) = try call(.count(filter)) else { throw .protocolViolation("expected COUNT_OK") }
        return Int(clamping: count)
    }

    /// The speakers whose names have every word of `query` (the last a prefix when it ends
    /// in `*`, as in `zucker*`), most quotes first, at most `limit`; and how many matched.
    public func speakers(_ query: String = "", limit: Int = 20) throws(ClientError) -> (matching: Int, speakers: [SpeakerCount]) {
        guard case let .speakers(matching, speakers) = try call(.speakers(query: query, limit: UInt32(clamping: limit))) else {
            throw .protocolViolation("expected SPEAKERS_OK")
        }
        return (Int(matching), speakers)
    }

    /// The content digest of the live quotes whose ids start with `prefix`, with its 256
    /// sub-ranges or, when it holds few, its quotes (DIGEST_RANGE).
    public func digestRange(_ prefix: [UInt8]) throws(ClientError) -> DigestRange {
        guard case let .digestRange(range) = try call(.digestRange(prefix: prefix)) else {
            throw .protocolViolation("expected DIGEST_RANGE_OK")
        }
        return range
    }

    /// Ops after `since`, at most `maxOps`, and the server's last sequence number.
    public func changes(since: UInt64, maxOps: Int = 1_000) throws(ClientError) -> (ops: [SequencedOp], lastSequence: UInt64) {
        guard case let .changes(ops, last) = try call(.changes(since: since, maxOps: UInt32(clamping: maxOps), follow: false)) else {
            throw .protocolViolation("expected CHANGES_OK")
        }
        return (ops, last)
    }

    /// Today as days since 1970-01-01, UTC.
    public static func currentDay() -> UInt32 {
        UInt32(HybridLogicalClock.systemMilliseconds() / 86_400_000)
    }
}

/// The matches of a search, fetched a page at a time as the sequence is walked.
/// A failure mid-walk ends the sequence; `error` tells why.
public struct SearchResults: Sequence {
    let client: ArchiveClient
    let filter: SearchFilter
    let pageSize: Int

    /// Walks the pages.
    public struct Iterator: IteratorProtocol {
        let results: SearchResults
        var buffer: [ArchivedQuote] = []
        var cursor: [UInt8] = []
        var finished = false
        /// The error that ended the walk early, if any.
        public private(set) var error: ClientError?

        public mutating func next() -> ArchivedQuote? {
            if buffer.isEmpty && !finished {
                do {
                    let page = try results.client.searchPage(results.filter, limit: results.pageSize, cursor: cursor)
                    buffer = page.quotes.reversed()
                    cursor = page.cursor
                    finished = cursor.isEmpty
                } catch {
                    self.error = error
                    finished = true
                }
            }
            return buffer.popLast()
        }
    }

    public func makeIterator() -> Iterator { Iterator(results: self) }
}
