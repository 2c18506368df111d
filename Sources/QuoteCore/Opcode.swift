/// The one-byte operation code of a frame.
///
/// Open on purpose: a client can carry an opcode a newer server sends. A response's opcode
/// is its request's with the high bit set; `error` answers any request.
public struct Opcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public let rawValue: UInt8

    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Opens a session: magic, versions, client name.
    public static let hello = Opcode(rawValue: 0x01)
    /// Liveness check; the payload is echoed.
    public static let ping = Opcode(rawValue: 0x02)
    /// Adds one quote or a batch.
    public static let add = Opcode(rawValue: 0x03)
    /// Fetches a quote by id or unique id prefix.
    public static let get = Opcode(rawValue: 0x04)
    /// Deletes a quote by id or unique id prefix.
    public static let delete = Opcode(rawValue: 0x05)
    /// Searches with filters, a limit and a cursor.
    public static let search = Opcode(rawValue: 0x06)
    /// Picks a quote among the matches: uniformly, or the quote of a given day.
    public static let random = Opcode(rawValue: 0x07)
    /// Server and archive counters.
    public static let stats = Opcode(rawValue: 0x08)
    /// Ops since a sequence number, for replication.
    public static let changes = Opcode(rawValue: 0x09)
    /// An order-independent digest of the archive, to compare hosts.
    public static let digest = Opcode(rawValue: 0x0A)
    /// The content digest of the quotes whose ids start with a prefix, split or listed,
    /// to find what two archives hold differently.
    public static let digestRange = Opcode(rawValue: 0x0E)
    /// The speakers whose names match a query, with their quote counts.
    public static let speakers = Opcode(rawValue: 0x0F)
    /// How many live quotes match a filter.
    public static let count = Opcode(rawValue: 0x10)
    /// Hands ops from another archive to apply (replication pushed by a client).
    public static let apply = Opcode(rawValue: 0x0B)
    /// Proves the client knows a token (after HELLO_OK asked for it).
    public static let auth = Opcode(rawValue: 0x0C)
    /// EDIT: replace a quote's metadata, or its words under a new id.
    public static let edit = Opcode(rawValue: 0x0D)
    /// The answer to any request that failed.
    public static let error = Opcode(rawValue: 0xFF)

    /// Every request opcode this version defines.
    public static let requests: [Opcode] = RequestKind.allCases.map(\.opcode)

    /// The opcode of the successful response to this request.
    public var response: Opcode { Opcode(rawValue: rawValue | 0x80) }

    /// Whether this is a response opcode.
    public var isResponse: Bool { rawValue & 0x80 != 0 }

    public var description: String {
        if self == .error { return "ERROR" }
        if let kind = RequestKind(rawValue: rawValue) { return kind.name }
        if isResponse, let kind = RequestKind(rawValue: rawValue & 0x7F) { return kind.name + "_OK" }
        return "0x" + Hex.encode([rawValue])
    }
}
