import QuoteCore

/// The exit statuses `quotes` documents in its help, so scripts can tell outcomes apart.
enum ExitStatus: Int32 {
    /// The command did what was asked.
    case success = 0
    /// Nothing matched: an empty search, an unknown id, no quote to pick from.
    case nothingFound = 1
    /// The command line does not parse; `UsageError.exitCode` is the same number.
    case usage = 2
    /// The server could not be reached, broke the protocol, or failed the request.
    case serverOrConnection = 3
    /// The input was refused: an invalid quote, id, date or query, an ambiguous id prefix,
    /// an unreadable import file.
    case rejectedInput = 4

    /// `quotes diff`: the archives differ (1, as for cmp(1) and diff(1)).
    static let different = ExitStatus.nothingFound

    /// The status for a server error code: what the user can fix is `rejectedInput`,
    /// a miss is `nothingFound`, the rest is the server's business.
    init(serverCode code: ErrorCode) {
        switch code {
        case .notFound: self = .nothingFound
        case .ambiguousPrefix, .invalidID, .invalidQuery: self = .rejectedInput
        default: self = (300..<400).contains(code.rawValue) ? .rejectedInput : .serverOrConnection
        }
    }
}
