import QuoteClient
import QuoteCore

// Before a GET or SEARCH run: make sure there is something to find, and learn what.
extension Workload {
    /// Builds the workload for `configuration`. For GET and SEARCH it first adds
    /// `seedQuotes` new quotes over `seededSpeakers` and asks for those, or, with no seeding,
    /// reads up to `maxKnownQuotes` of the archive's own quotes and asks for their ids and
    /// speakers. Returns the workload and how many quotes it added.
    static func prepare(_ configuration: LoadConfiguration, runTag: String) throws(LoadFailure) -> (Workload, seeded: Int) {
        let operation = configuration.operation
        guard operation.needsKnownQuotes else {
            return (Workload(operation: operation, known: [], configuration: configuration, runTag: runTag), 0)
        }
        let client: ArchiveClient
        do {
            client = try ArchiveClient(address: configuration.server, timeoutSeconds: 120, clientName: "quote-load/0.1")
        } catch {
            throw LoadFailure("cannot connect to \(configuration.server): \(error)")
        }
        let ids: [String]
        let speakers: [String]
        var texts: [String] = []
        if configuration.seedQuotes > 0 && operation != .words {
            let maker = Workload(operation: .add, known: [], configuration: configuration, runTag: runTag)
            ids = try seed(configuration.seedQuotes, with: maker, through: client)
            speakers = Array(seededSpeakers.prefix(configuration.seedQuotes))
        } else {
            let stored: [ArchivedQuote]
            do {
                stored = try client.search(SearchFilter(), limit: LoadConfiguration.maxKnownQuotes, pageSize: Int(Request.maxSearchLimit))
            } catch {
                throw LoadFailure("cannot read the archive's quotes: \(error)")
            }
            guard !stored.isEmpty else {
                throw LoadFailure("the archive is empty: nothing to \(operation.rawValue); give --seed-quotes")
            }
            ids = stored.map { $0.id.description }
            texts = stored.map(\.quote.text)
            var seen = Set<String>()
            speakers = stored.map(\.quote.speaker).filter { seen.insert($0).inserted }
        }
        let known: [String]
        switch operation {
        case .get: known = Array(ids.prefix(LoadConfiguration.maxKnownQuotes))
        case .words: known = texts.compactMap(twoWords)
        default: known = speakers
        }
        guard !known.isEmpty else { throw LoadFailure("no quote has two words of 3 letters or more to search for") }
        return (Workload(operation: operation, known: known, configuration: configuration, runTag: runTag),
                operation == .words ? 0 : configuration.seedQuotes)
    }

    /// Two words of `text` to search for together, the first and the middle one of those
    /// 3 characters or longer; nil when it has fewer than two.
    static func twoWords(_ text: String) -> String? {
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { $0.count >= 3 }
        guard words.count >= 2 else { return nil }
        return words[0] + " " + words[words.count / 2]
    }

    /// Adds `count` new quotes in batches a server accepts; returns the ids of the first
    /// `maxKnownQuotes`.
    private static func seed(_ count: Int, with maker: Workload, through client: ArchiveClient) throws(LoadFailure) -> [String] {
        let maxPayloadBytes = Int(client.server.maxFrameBytes) - AddBatches.frameOverheadBytes
        let batchSize = max(1, min(1_000, maxPayloadBytes / (maker.valueBytes + 128)))
        var ids: [String] = []
        ids.reserveCapacity(min(count, LoadConfiguration.maxKnownQuotes))
        var start = 0
        while start < count {
            let end = min(count, start + batchSize)
            let quotes = (start..<end).map { maker.newQuote(label: "seed-\($0)", index: $0) }
            let results: [AddResult]
            do {
                results = try client.add(quotes, batchSize: batchSize)
            } catch {
                throw LoadFailure("seeding quotes \(start)..<\(end): \(error)")
            }
            for result in results {
                guard result.status != .rejected else {
                    throw LoadFailure("the server rejected a seed quote: \(result.message) [\(result.code.name)]")
                }
                if ids.count < LoadConfiguration.maxKnownQuotes { ids.append(result.id.description) }
            }
            start = end
        }
        return ids
    }
}
