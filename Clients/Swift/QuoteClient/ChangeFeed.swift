import QuoteCore

/// A peer's log read as a CHANGES follow stream: its pages in order, each with how far
/// behind the reader still is. The one reader both `quoted --replicate-from` and
/// `quotes replicate` use, so the page size, the read-ahead, the silence that means a dead
/// peer and the backlog arithmetic are written once.
///
/// The server pushes pages back to back, paced by the socket, so no round trip separates
/// two pages; when the stream is current it sends one page with no ops, and on an idle
/// stream a heartbeat page every few seconds.
public struct ChangeFeed {
    /// Ops asked for per CHANGES page; the server also cuts a page at about 512 KiB.
    public static let pageOps: UInt32 = 2_000
    /// Pages read ahead of the one being applied: enough to hide a round trip on each
    /// side, few enough that an interrupted copy has little read and not applied.
    public static let pagesInFlight = 4
    /// A follow stream silent this long is dead: the server sends a heartbeat every 5 s.
    public static let silenceTimeoutSeconds = 20.0

    /// One page of the feed.
    public struct Page: Sendable {
        /// The page's ops, in log order; empty for the "current" page and heartbeats.
        public var ops: [SequencedOp]
        /// The peer's last sequence number when it made the page.
        public var lastSequence: UInt64
        /// The last sequence number this feed has received, this page included.
        public var receivedThrough: UInt64
        /// How many ops the peer holds beyond what this feed has received.
        public var backlog: UInt64 { lastSequence > receivedThrough ? lastSequence - receivedThrough : 0 }

        public init(ops: [SequencedOp], lastSequence: UInt64, receivedThrough: UInt64) {
            self.ops = ops
            self.lastSequence = lastSequence
            self.receivedThrough = receivedThrough
        }
    }

    private let client: ArchiveClient
    /// The sequence number the feed starts after.
    public let since: UInt64

    /// A feed of the ops `client`'s server holds after sequence number `since`.
    public init(_ client: ArchiveClient, since: UInt64) {
        self.client = client
        self.since = since
    }

    /// Hands each page to `onPage` until it returns false. A server ERROR is
    /// `ClientError.server`, any other response `ClientError.protocolViolation`; a dropped
    /// or silent connection is `ClientError.connection`; a page that does not decode
    /// throws its `DecodeError`.
    public func read(_ onPage: (Page) throws -> Bool) throws {
        // An empty page moves nothing, so the backlog is measured from what this stream has
        // received, never from where it began: measured from `since`, a heartbeat once read
        // a follower that had kept up as the whole log behind.
        var received = since
        try client.stream(.changes(since: since, maxOps: ChangeFeed.pageOps, follow: true),
                          silenceTimeoutSeconds: ChangeFeed.silenceTimeoutSeconds) { response in
            switch response {
            case let .changes(ops, lastSequence):
                if let last = ops.last?.sequence { received = last }
                return try onPage(Page(ops: ops, lastSequence: lastSequence, receivedThrough: received))
            case let .error(code, message):
                throw ClientError.server(code: code, message: message)
            default:
                throw ClientError.protocolViolation("unexpected \(response.opcode) on a CHANGES stream")
            }
        }
    }
}
