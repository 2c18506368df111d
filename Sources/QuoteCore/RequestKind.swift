/// The requests this protocol version defines: the closed set behind the open `Opcode`.
///
/// Switches over a `RequestKind` are exhaustive, so a new request cannot be added without
/// the compiler pointing at its name, its role and its decoder (see Protocol/README.md,
/// "Adding a request").
public enum RequestKind: UInt8, CaseIterable, Sendable {
    case hello = 0x01
    case ping = 0x02
    case add = 0x03
    case get = 0x04
    case delete = 0x05
    case search = 0x06
    case random = 0x07
    case stats = 0x08
    case changes = 0x09
    case digest = 0x0A
    case apply = 0x0B
    case auth = 0x0C
    case edit = 0x0D
    case digestRange = 0x0E
    case speakers = 0x0F
    case count = 0x10

    /// The kind of a request opcode; nil for a response or an opcode this version lacks.
    public init?(_ opcode: Opcode) {
        self.init(rawValue: opcode.rawValue)
    }

    /// The request's opcode.
    public var opcode: Opcode { Opcode(rawValue: rawValue) }

    /// The name PROTOCOL.md gives the request.
    public var name: String {
        switch self {
        case .hello: return "HELLO"
        case .ping: return "PING"
        case .add: return "ADD"
        case .get: return "GET"
        case .delete: return "DELETE"
        case .search: return "SEARCH"
        case .random: return "RANDOM"
        case .stats: return "STATS"
        case .changes: return "CHANGES"
        case .digest: return "DIGEST"
        case .apply: return "APPLY"
        case .auth: return "AUTH"
        case .edit: return "EDIT"
        case .digestRange: return "DIGEST_RANGE"
        case .speakers: return "SPEAKERS"
        case .count: return "COUNT"
        }
    }
}
