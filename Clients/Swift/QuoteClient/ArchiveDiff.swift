import QuoteCore

/// What two archives hold differently, found by comparing the content digests of id
/// ranges and descending only into the ranges that differ (DIGEST_RANGE): a Merkle-style
/// search that costs a few round trips for a few differences, whatever the archives' size.
///
/// Content is what is compared, as DIGEST's content digest does: the live quotes and their
/// metadata. An id deleted on one side and never added on the other is no difference.
public struct ArchiveDiff: Sendable {
    /// How one id differs.
    public enum Kind: String, Sendable {
        /// Live in the first archive only.
        case onlyInFirst = "only_in_a"
        /// Live in the second archive only.
        case onlyInSecond = "only_in_b"
        /// Live in both, with other metadata (the text and speaker are the id's).
        case differs
    }

    public struct Difference: Hashable, Sendable {
        public var id: QuoteID
        public var kind: Kind

        public init(id: QuoteID, kind: Kind) {
            self.id = id
            self.kind = kind
        }
    }

    /// Every difference, in id order.
    public var differences: [Difference] = []
    /// Live quotes on each side.
    public var liveCounts: (first: UInt64, second: UInt64) = (0, 0)
    /// Round trips made to each server (the two are asked in turn, each pipelined).
    public var roundTrips = 0
    /// DIGEST_RANGE requests sent to each server.
    public var requests = 0
    /// Frame bytes sent to and received from both servers.
    public var bytesSent = 0
    public var bytesReceived = 0

    public var isEqual: Bool { differences.isEmpty }

    /// Ranges asked for in one pipelined batch, at most: bounds what a diff of very
    /// different archives holds in memory at once.
    static let batchSize = 256

    /// Which server a failure came from.
    public enum Side: Sendable { case first, second }

    /// A failed request, and to which of the two servers.
    public struct Failure: Error, Sendable {
        public var side: Side
        public var error: ClientError
    }

    /// Compares the archives `first` and `second` serve.
    public static func compare(_ first: ArchiveClient, _ second: ArchiveClient) throws(Failure) -> ArchiveDiff {
        var diff = ArchiveDiff()
        var level: [[UInt8]] = [[]]
        while !level.isEmpty {
            var next: [[UInt8]] = []
            var start = 0
            while start < level.count {
                let prefixes = Array(level[start..<min(level.count, start + batchSize)])
                start += prefixes.count
                let left: [DigestRange], right: [DigestRange]
                do { left = try diff.ask(first, prefixes) } catch { throw Failure(side: .first, error: error) }
                do { right = try diff.ask(second, prefixes) } catch { throw Failure(side: .second, error: error) }
                diff.roundTrips += 1
                for (index, prefix) in prefixes.enumerated() {
                    if prefix.isEmpty { diff.liveCounts = (left[index].liveCount, right[index].liveCount) }
                    next += diff.compare(prefix, left[index], right[index])
                }
            }
            level = next
        }
        diff.differences.sort { $0.id < $1.id }
        return diff
    }

    /// Sends one DIGEST_RANGE per prefix, pipelined, and returns the ranges in order.
    private mutating func ask(_ client: ArchiveClient, _ prefixes: [[UInt8]]) throws(ClientError) -> [DigestRange] {
        let requests = prefixes.map { Request.digestRange(prefix: $0) }
        self.requests += requests.count
        bytesSent += requests.reduce(0) { $0 + $1.frame(requestID: 1).encoded.count }
        var ranges: [DigestRange] = []
        for response in try client.send(requests) {
            var writer = ByteWriter()
            response.encodePayload(into: &writer)
            bytesReceived += Frame.headerBytes + writer.count
            switch response {
            case let .digestRange(range): ranges.append(range)
            case let .error(code, message): throw .server(code: code, message: message)
            default: throw .protocolViolation("expected DIGEST_RANGE_OK, got \(response.opcode)")
            }
        }
        return ranges
    }

    /// Records what two listed ranges show, or returns the sub-ranges to ask for next.
    private mutating func compare(_ prefix: [UInt8], _ left: DigestRange, _ right: DigestRange) -> [[UInt8]] {
        if left.liveCount == right.liveCount && left.digest == right.digest { return [] }
        switch (left.body, right.body) {
        case let (.listed(mine), .listed(theirs)):
            record(mine, theirs)
            return []
        case let (.split(mine), .split(theirs)):
            return (0..<DigestRange.partCount).filter { mine[$0] != theirs[$0] }.map { prefix + [UInt8($0)] }
        case let (.split(parts), .listed(entries)), let (.listed(entries), .split(parts)):
            // One side is small: every sub-range the other fills, or this one's quotes are in.
            let listedParts = Set(entries.map { Int($0.id.bytes[prefix.count]) })
            return (0..<DigestRange.partCount).filter { parts[$0].liveCount > 0 || listedParts.contains($0) }
                .map { prefix + [UInt8($0)] }
        }
    }

    private mutating func record(_ mine: [DigestRange.Entry], _ theirs: [DigestRange.Entry]) {
        let theirTerms = Dictionary(theirs.map { ($0.id, $0.term) }, uniquingKeysWith: { first, _ in first })
        let myIDs = Set(mine.map(\.id))
        for entry in mine {
            switch theirTerms[entry.id] {
            case nil: differences.append(Difference(id: entry.id, kind: .onlyInFirst))
            case let term? where term != entry.term: differences.append(Difference(id: entry.id, kind: .differs))
            default: break
            }
        }
        for entry in theirs where !myIDs.contains(entry.id) {
            differences.append(Difference(id: entry.id, kind: .onlyInSecond))
        }
    }
}
