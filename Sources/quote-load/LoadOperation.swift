import QuoteCore

/// The request a load run sends, as named by `--op`.
enum LoadOperation: String, CaseIterable, Sendable {
    /// GET of a random known id.
    case get
    /// SEARCH by a random known speaker, first page.
    case search
    /// SEARCH for two words of a random known quote's text, first page: the expensive read
    /// the server answers off its event loops.
    case words
    /// ADD of one new quote.
    case add
    /// PING with `--value-bytes` bytes of data.
    case ping

    /// The request's opcode; a successful response carries it with the high bit set.
    var opcode: Opcode {
        switch self {
        case .get: return .get
        case .search, .words: return .search
        case .add: return .add
        case .ping: return .ping
        }
    }

    /// Whether the run needs known ids or speakers before it starts.
    var needsKnownQuotes: Bool { self == .get || self == .search || self == .words }
}
