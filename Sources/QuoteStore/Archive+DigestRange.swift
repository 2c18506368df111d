import QuoteCore

extension Archive {
    /// The content digest of the live quotes whose ids start with `prefix` (0 to 16 bytes),
    /// with its 256 sub-ranges or its quotes (`ArchiveState.digestRange`). The empty prefix
    /// gives DIGEST's live count and content digest.
    public func digestRange(prefix: [UInt8]) -> DigestRange {
        _ = digest() // computes the digest cache if it is not yet, as DIGEST does
        return lock.withReadLock { state.digestRange(prefix: prefix) }
    }
}
