/// Where an archive's search indexes came from when it was opened.
public enum IndexSource: Sendable, Equatable, CustomStringConvertible {
    /// Loaded from the index snapshot saved when the archive was last closed, which covered
    /// `quotes` ordinals; `tail` quotes the log holds beyond it were then indexed one by one.
    case snapshot(quotes: Int, tail: Int)
    /// Built from every quote in the log; `reason` says why no snapshot was used.
    case built(reason: String)

    public var description: String {
        switch self {
        case let .snapshot(quotes, tail): return "snapshot of \(quotes) quotes, \(tail) indexed after it"
        case let .built(reason): return "built from the log (\(reason))"
        }
    }
}
