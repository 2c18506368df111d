/// What decides which of two ops on the same quote id wins: last writer wins.
///
/// The greater `(timestamp, origin)` wins; at an exact tie (the same node and the same
/// clock reading, which only a replayed op can produce) a delete wins over a put, so every
/// node breaks the tie the same way whatever order the ops reach it in. This is the one
/// definition of the rule: recovery, APPLY, replication and the tests all compare versions.
public struct OpVersion: Comparable, Hashable, Sendable {
    /// When the op was made, on its origin's hybrid clock.
    public var timestamp: HybridTimestamp
    /// The node id of the archive where the op was made.
    public var origin: UInt64
    /// What the op does.
    public var kind: Op.Kind

    /// Creates the version of an op with these fields.
    public init(timestamp: HybridTimestamp, origin: UInt64, kind: Op.Kind) {
        self.timestamp = timestamp
        self.origin = origin
        self.kind = kind
    }

    public static func < (lhs: OpVersion, rhs: OpVersion) -> Bool {
        if lhs.timestamp != rhs.timestamp { return lhs.timestamp < rhs.timestamp }
        if lhs.origin != rhs.origin { return lhs.origin < rhs.origin }
        return lhs.kind.rawValue < rhs.kind.rawValue
    }
}
