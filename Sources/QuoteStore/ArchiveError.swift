import QuoteCore

/// Why an archive request failed; each case maps to one wire error code.
public enum ArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No live quote has that id or prefix.
    case notFound(String)
    /// No live quote matches a RANDOM filter.
    case noMatch
    /// The prefix matches more than one quote.
    case ambiguousPrefix(String, matches: Int)
    /// The id is not hex, or too short.
    case invalidID(String)
    /// The cursor is not one this archive issued.
    case invalidCursor
    /// A filter value is malformed.
    case invalidQuery(String)
    /// The disk refused the write; nothing was stored.
    case storage(String)
    /// The archive is closed.
    case closed
    /// An op from another archive is not well formed (its quote is not canonical or does
    /// not hash to its id); nothing of its batch was applied.
    case rejectedOp(String)

    /// Whether this is an op from another archive that can never be applied: retrying it
    /// fails the same way, unlike a storage error, which passes when the disk does.
    public var isRejectedOp: Bool {
        if case .rejectedOp = self { return true }
        return false
    }

    /// The wire error code.
    public var code: ErrorCode {
        switch self {
        case .notFound, .noMatch: return .notFound
        case .ambiguousPrefix: return .ambiguousPrefix
        case .invalidID: return .invalidID
        case .invalidCursor: return .invalidCursor
        case .invalidQuery: return .invalidQuery
        case .storage: return .storageError
        case .closed: return .shuttingDown
        case .rejectedOp: return .invalidOp
        }
    }

    public var description: String {
        switch self {
        case let .notFound(id): return "no quote with id \(id)"
        case .noMatch: return "no quote matches the filter"
        case let .ambiguousPrefix(prefix, matches): return "id prefix \(prefix) matches \(matches) quotes; give more characters"
        case let .invalidID(id): return "'\(id)' is not an id: give at least \(QuoteID.minimumPrefixLength) hex characters"
        case .invalidCursor: return "the cursor is not valid for this archive"
        case let .invalidQuery(reason): return "invalid query: \(reason)"
        case let .storage(reason): return "storage error, nothing stored: \(reason)"
        case .closed: return "the archive is closed"
        case let .rejectedOp(reason): return "rejected op: \(reason)"
        }
    }
}
