/// A numeric error code carried by an ERROR frame; PROTOCOL.md lists every code.
///
/// Open on purpose, so a client built today still carries a code a later server sends.
/// Hundreds group the codes: 1xx protocol, 2xx request, 3xx quote validation, 4xx server.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The `u16` on the wire.
    public let rawValue: UInt16

    /// Wraps a code.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The client speaks no protocol version the server speaks.
    public static let unsupportedVersion = ErrorCode(rawValue: 100)
    /// The first frame was not a HELLO with the right magic.
    public static let handshakeRequired = ErrorCode(rawValue: 101)
    /// The frame's length is above the server's maximum; the connection closes.
    public static let frameTooLarge = ErrorCode(rawValue: 102)
    /// The opcode is not one this server knows; the connection closes.
    public static let unknownOpcode = ErrorCode(rawValue: 103)
    /// The payload does not decode as the opcode's message; the connection closes.
    public static let malformedPayload = ErrorCode(rawValue: 104)
    /// The server is at its connection limit; the connection closes.
    public static let tooManyConnections = ErrorCode(rawValue: 105)
    /// The connection was idle past the server's timeout; the connection closes.
    public static let idleTimeout = ErrorCode(rawValue: 106)

    /// No quote has that id (or it was deleted).
    public static let notFound = ErrorCode(rawValue: 200)
    /// The id prefix matches more than one quote.
    public static let ambiguousPrefix = ErrorCode(rawValue: 201)
    /// The id is not hex, or shorter than 6 characters.
    public static let invalidID = ErrorCode(rawValue: 202)
    /// The search cursor was not issued by this server for this query.
    public static let invalidCursor = ErrorCode(rawValue: 203)
    /// A query value is out of range (a SEARCH limit of 0 or above 1000).
    public static let invalidQuery = ErrorCode(rawValue: 204)
    /// The batch holds more quotes than the server accepts at once.
    public static let batchTooLarge = ErrorCode(rawValue: 205)
    /// An op given to APPLY is not well formed; nothing of its batch was applied.
    public static let invalidOp = ErrorCode(rawValue: 206)

    /// The text is empty.
    public static let emptyText = ErrorCode(rawValue: 300)
    /// The text is over 64 KiB.
    public static let textTooLong = ErrorCode(rawValue: 301)
    /// A field is not valid UTF-8. Reserved: version 1 reports invalid UTF-8 as `malformedPayload`.
    public static let invalidUTF8 = ErrorCode(rawValue: 302)
    /// The speaker is empty.
    public static let missingSpeaker = ErrorCode(rawValue: 303)
    /// The date is malformed or does not exist.
    public static let invalidDate = ErrorCode(rawValue: 304)
    /// The speaker or source is over its byte limit.
    public static let fieldTooLong = ErrorCode(rawValue: 305)
    /// More than 32 tags.
    public static let tooManyTags = ErrorCode(rawValue: 306)
    /// A tag is empty or too long.
    public static let invalidTag = ErrorCode(rawValue: 307)
    /// The language tag is malformed.
    public static let invalidLanguage = ErrorCode(rawValue: 308)
    /// A field holds a control character.
    public static let controlCharacter = ErrorCode(rawValue: 309)

    /// The server is read-only: ADD and DELETE are refused.
    public static let readOnly = ErrorCode(rawValue: 400)
    /// The server could not write durably (disk full, I/O error); nothing was stored.
    public static let storageError = ErrorCode(rawValue: 401)
    /// The server is shutting down; retry elsewhere or later.
    public static let shuttingDown = ErrorCode(rawValue: 402)
    /// The request needs authentication first.
    public static let authenticationRequired = ErrorCode(rawValue: 403)
    /// Authentication failed.
    public static let authenticationFailed = ErrorCode(rawValue: 404)
    /// The token's role does not allow this request.
    public static let permissionDenied = ErrorCode(rawValue: 405)
    /// The server failed in a way it did not expect; the message says how.
    public static let internalError = ErrorCode(rawValue: 499)

    /// The snake_case name PROTOCOL.md uses, or the number for an unknown code.
    public var name: String {
        let names: [UInt16: String] = [
            100: "unsupported_version", 101: "handshake_required", 102: "frame_too_large",
            103: "unknown_opcode", 104: "malformed_payload", 105: "too_many_connections",
            106: "idle_timeout", 200: "not_found", 201: "ambiguous_prefix", 202: "invalid_id",
            203: "invalid_cursor", 204: "invalid_query", 205: "batch_too_large", 206: "invalid_op", 300: "empty_text",
            301: "text_too_long", 302: "invalid_utf8", 303: "missing_speaker", 304: "invalid_date",
            305: "field_too_long", 306: "too_many_tags", 307: "invalid_tag", 308: "invalid_language",
            309: "control_character", 400: "read_only", 401: "storage_error", 402: "shutting_down",
            403: "authentication_required", 404: "authentication_failed", 405: "permission_denied", 499: "internal_error",
        ]
        return names[rawValue] ?? "error_\(rawValue)"
    }

    public var description: String { "\(name) (\(rawValue))" }
}
