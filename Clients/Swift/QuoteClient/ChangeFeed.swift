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

    /// Why a feed resuming from a checkpoint refused to go on: the peer's log no longer
    /// holds the op the checkpoint names (restored from a backup, cut by a power loss,
    /// emptied), so its sequence numbers past it may name ops the reader never saw.
    public struct HistoryChanged: Error, Sendable, CustomStringConvertible {
        public let checkpoint: ReplicationCheckpoint
        public let reason: String
        public var description: String { "the peer's log is not the one checkpointed at \(checkpoint): \(reason)" }
    }

    private let client: ArchiveClient
    /// Where the feed resumes: the ops after `checkpoint.sequence`, once the op there is
    /// found to be the one the checkpoint names.
    public let checkpoint: ReplicationCheckpoint
    /// The sequence number the feed starts after.
    public var since: UInt64 { checkpoint.sequence }

    /// A feed of the ops `client`'s server holds after sequence number `since`, unchecked:
    /// for a reader that keeps no checkpoint and starts from 0.
    public init(_ client: ArchiveClient, since: UInt64) {
        self.init(client, resumingAfter: ReplicationCheckpoint(sequence: since, fingerprint: nil))
    }

    /// A feed of the ops after `checkpoint`. Past the start it first reads the op at the
    /// checkpoint's sequence number again and compares its fingerprint (when the checkpoint
    /// has one): a different op there, or a log that now ends before it, throws
    /// `HistoryChanged` before any page is handed on.
    public init(_ client: ArchiveClient, resumingAfter checkpoint: ReplicationCheckpoint) {
        self.client = client
        self.checkpoint = checkpoint
    }

    /// Hands each page to `onPage` until it returns false. A server ERROR is
    /// `ClientError.server`, any other response `ClientError.protocolViolation`; a dropped
    /// or silent connection is `ClientError.connection`; a page that does not decode
    /// throws its `DecodeError`; a peer whose log changed under the checkpoint,
    /// `HistoryChanged`.
    public func read(_ onPage: (Page) throws -> Bool) throws {
        // An empty page moves nothing, so the backlog is measured from what this stream has
        // received, never from where it began: measured from `since`, a heartbeat once read
        // a follower that had kept up as the whole log behind.
        var received = since
        // The op at the checkpoint, asked for again to be compared, until it has been.
        var unverified = since > 0 ? checkpoint : nil
        let start = unverified.map { $0.sequence - 1 } ?? since
        try client.stream(.changes(since: start, maxOps: ChangeFeed.pageOps, follow: true),
                          silenceTimeoutSeconds: ChangeFeed.silenceTimeoutSeconds) { response in
            switch response {
            case .changes(var ops, let lastSequence):
                if let expected = unverified {
                    guard let first = ops.first else {
                        guard lastSequence >= expected.sequence else {
                            throw HistoryChanged(checkpoint: expected, reason: "it now ends at sequence \(lastSequence)")
                        }
                        return true
                    }
                    guard first.sequence == expected.sequence else {
                        throw HistoryChanged(checkpoint: expected, reason: "its next op is numbered \(first.sequence)")
                    }
                    if let fingerprint = expected.fingerprint, first.op.fingerprint != fingerprint {
                        throw HistoryChanged(checkpoint: expected,
                                             reason: "its op \(expected.sequence) is \(HexText.sixteenDigits(first.op.fingerprint))")
                    }
                    ops.removeFirst()
                    unverified = nil
                }
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
