extension Op {
    /// A 64-bit name for this op: the first 8 bytes, big-endian, of the SHA-256 of its
    /// encoding (`encode(into:)`, quote included).
    ///
    /// A replication checkpoint keeps the fingerprint of the op it stopped after, so a
    /// follower resuming can tell the peer's log still holds that op at that sequence
    /// number, and notice a log that was restored, cut or emptied under the same node id.
    /// Two ops with the same timestamp and origin are the same op, so a collision needs a
    /// different op whose hash agrees in 64 bits.
    public var fingerprint: UInt64 {
        var writer = ByteWriter(capacity: Op.fixedBytes + 64)
        encode(into: &writer)
        let digest = SHA256.hash(writer.bytes)
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
