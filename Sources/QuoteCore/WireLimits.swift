/// The bounds a decoder enforces on each field of the wire format (PROTOCOL.md §8).
///
/// Over a wire bound a payload is malformed and the connection closes; the quote limits of
/// `QuoteLimits` are tighter and give a specific validation error instead, so the quote
/// bounds here are four times those (generous, so a client's slightly-over quote is
/// rejected, not dropped). Every decoder and the server name these constants, and `table`
/// lists them as the spec's §8 table does; a test checks that the two agree.
public enum WireLimits {
    public static let maxTextBytes = 4 * QuoteLimits.maxTextBytes
    public static let maxSpeakerBytes = 4 * QuoteLimits.maxSpeakerBytes
    public static let maxSourceBytes = 4 * QuoteLimits.maxSourceBytes
    public static let maxLanguageBytes = 4 * QuoteLimits.maxLanguageBytes
    public static let maxTags = 4 * QuoteLimits.maxTags
    public static let maxTagBytes = 4 * QuoteLimits.maxTagBytes

    /// HELLO's `client_name` and HELLO_OK's `server_name`.
    public static let maxPeerNameBytes = 256
    /// HELLO's `authentication` and HELLO_OK's `server_nonce`.
    public static let maxHelloBlobBytes = 1024
    /// AUTH's `token_name`, `client_nonce` and `proof`, AUTH_OK's `server_proof`.
    public static let maxAuthFieldBytes = 64
    /// The id or id prefix GET and DELETE take.
    public static let maxIDTextBytes = 64

    public static let maxFilterSpeakerBytes = 1024
    public static let maxFilterWordsBytes = 4096
    public static let maxFilterTags = QuoteLimits.maxTags
    public static let maxFilterTagBytes = 256
    public static let maxFilterLanguageBytes = 64
    /// SEARCH's and SEARCH_OK's opaque cursor.
    public static let maxCursorBytes = 256

    public static let maxAddMessageBytes = 4096
    public static let maxStatEntries = 65_536
    public static let maxStatNameBytes = 256
    public static let maxStatTextBytes = 4096
    public static let maxErrorMessageBytes = 65_536

    /// The largest frame `length` a server accepts unless configured otherwise.
    public static let defaultMaxFrameBytes = 1 << 20
    /// The most quotes one ADD may carry; over it the server answers `batch_too_large`
    /// and the connection goes on.
    public static let maxAddBatch = 10_000
    /// The largest page a SEARCH may ask for; over it, `invalid_query`.
    public static let maxSearchLimit = 1_000
    /// DIGEST_RANGE's `prefix`: at most a whole id.
    public static let maxDigestRangePrefixBytes = QuoteID.byteCount
    /// DIGEST_RANGE_OK's listed `entries`: a range is listed only up to 64 quotes, or when
    /// its prefix leaves one byte or none, so at most 256.
    public static let maxDigestRangeEntries = 256

    /// One row of the spec's §8 wire-bounds table.
    public struct Bound: Sendable, Equatable {
        /// The message or structure, as the table's first column names it.
        public var message: String
        /// The field, as the table's second column names it.
        public var field: String
        /// The bound: bytes, or a count for lists.
        public var value: Int

        /// Creates a row.
        public init(message: String, field: String, value: Int) {
            self.message = message
            self.field = field
            self.value = value
        }
    }

    /// Every bound, in the order of the spec's table.
    public static let table: [Bound] = [
        Bound(message: "Quote", field: "text", value: maxTextBytes),
        Bound(message: "Quote", field: "speaker", value: maxSpeakerBytes),
        Bound(message: "Quote", field: "source", value: maxSourceBytes),
        Bound(message: "Quote", field: "lang", value: maxLanguageBytes),
        Bound(message: "Quote", field: "tags", value: maxTags),
        Bound(message: "Quote", field: "tag", value: maxTagBytes),
        Bound(message: "HELLO, HELLO_OK", field: "client_name, server_name", value: maxPeerNameBytes),
        Bound(message: "HELLO, HELLO_OK", field: "authentication, server_nonce", value: maxHelloBlobBytes),
        Bound(message: "AUTH, AUTH_OK", field: "token_name, client_nonce, proof, server_proof", value: maxAuthFieldBytes),
        Bound(message: "GET, DELETE, EDIT", field: "id", value: maxIDTextBytes),
        Bound(message: "SearchFilter", field: "speaker", value: maxFilterSpeakerBytes),
        Bound(message: "SearchFilter", field: "words", value: maxFilterWordsBytes),
        Bound(message: "SearchFilter", field: "tags", value: maxFilterTags),
        Bound(message: "SearchFilter", field: "tag", value: maxFilterTagBytes),
        Bound(message: "SearchFilter", field: "lang", value: maxFilterLanguageBytes),
        Bound(message: "SEARCH, SEARCH_OK", field: "cursor", value: maxCursorBytes),
        Bound(message: "AddResult", field: "message", value: maxAddMessageBytes),
        Bound(message: "STATS_OK", field: "entries", value: maxStatEntries),
        Bound(message: "STATS_OK", field: "name", value: maxStatNameBytes),
        Bound(message: "STATS_OK", field: "text value", value: maxStatTextBytes),
        Bound(message: "ERROR", field: "message", value: maxErrorMessageBytes),
        Bound(message: "frame (server side)", field: "length", value: defaultMaxFrameBytes),
        Bound(message: "ADD", field: "quotes", value: maxAddBatch),
        Bound(message: "SEARCH", field: "limit", value: maxSearchLimit),
        Bound(message: "DIGEST_RANGE", field: "prefix", value: maxDigestRangePrefixBytes),
        Bound(message: "DIGEST_RANGE_OK", field: "entries", value: maxDigestRangeEntries),
        Bound(message: "SPEAKERS", field: "query", value: maxFilterSpeakerBytes),
        Bound(message: "SPEAKERS", field: "limit", value: maxSearchLimit),
        Bound(message: "SPEAKERS_OK", field: "speakers", value: maxSearchLimit),
        Bound(message: "SPEAKERS_OK", field: "name", value: maxSpeakerBytes),
    ]
}
