/// What closing an archive did about its index snapshot.
public enum IndexSnapshotWrite: Sendable, Equatable, CustomStringConvertible {
    /// Written: `bytes` long, in `milliseconds` (encoding, writing and syncing).
    case written(bytes: Int, milliseconds: Int)
    /// Not written: the one on disk is current, or indexing is deferred.
    case skipped(reason: String)
    /// Writing failed; the previous snapshot, if any, is still in place.
    case failed(String)

    public var description: String {
        switch self {
        case let .written(bytes, milliseconds): return "wrote \(bytes) bytes in \(milliseconds) ms"
        case let .skipped(reason): return "skipped (\(reason))"
        case let .failed(message): return "failed: \(message)"
        }
    }
}
