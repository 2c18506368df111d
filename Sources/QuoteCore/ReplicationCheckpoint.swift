/// A point in a peer's log that a follower has applied through: a sequence number and the
/// fingerprint of the op the peer had there.
///
/// A sequence number alone cannot tell a log that grew from one that was restored from a
/// backup and then written to: both have an op 200. The fingerprint can, and a follower
/// resuming checks it before trusting the number.
public struct ReplicationCheckpoint: Hashable, Sendable, CustomStringConvertible {
    /// The last sequence number applied; 0 for nothing yet.
    public var sequence: UInt64
    /// `Op.fingerprint` of the op at `sequence`; nil at the start and for a checkpoint saved
    /// by a version that kept none, which therefore cannot be verified.
    public var fingerprint: UInt64?

    public init(sequence: UInt64, fingerprint: UInt64?) {
        self.sequence = sequence
        self.fingerprint = fingerprint
    }

    /// Before the peer's first op.
    public static let start = ReplicationCheckpoint(sequence: 0, fingerprint: nil)

    /// The checkpoint just after `op`.
    public init(after op: SequencedOp) {
        self.init(sequence: op.sequence, fingerprint: op.op.fingerprint)
    }

    /// Whether a follower resuming here can check the peer still has this history.
    public var isVerifiable: Bool { sequence == 0 || fingerprint != nil }

    public var description: String {
        guard let fingerprint else { return "\(sequence)" }
        return "\(sequence) (op \(HexText.sixteenDigits(fingerprint)))"
    }
}
