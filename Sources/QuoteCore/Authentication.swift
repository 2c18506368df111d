/// The AUTH exchange: proofs that each side knows a token without sending it.
///
/// After HELLO_OK carries a random server nonce, the client sends AUTH with its own nonce
/// and `HMAC-SHA256(token, server_nonce ‖ client_nonce)`; the server checks it in constant
/// time and answers with `HMAC-SHA256(token, client_nonce ‖ server_nonce)`, which the
/// client checks in turn, so a replica cannot be fed by an impostor either.
public enum Authentication {
    /// The length of every nonce, in bytes.
    public static let nonceBytes = 32

    /// What the client proves: `HMAC-SHA256(token, server_nonce ‖ client_nonce)`.
    public static func clientProof(secret: [UInt8], serverNonce: [UInt8], clientNonce: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticationCode(key: secret, message: serverNonce + clientNonce)
    }

    /// What the server proves back: `HMAC-SHA256(token, client_nonce ‖ server_nonce)`.
    public static func serverProof(secret: [UInt8], serverNonce: [UInt8], clientNonce: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticationCode(key: secret, message: clientNonce + serverNonce)
    }

    /// Fresh random bytes for a nonce or a token.
    public static func randomBytes(_ count: Int = nonceBytes) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

/// A token as clients hold it: a name and a secret, written `NAME:HEX`.
public struct AccessToken: Hashable, Sendable, CustomStringConvertible {
    /// The token's name; the server looks the secret up by it. Not secret.
    public let name: String
    /// The shared secret, 32 random bytes.
    public let secret: [UInt8]

    /// Creates a token.
    public init(name: String, secret: [UInt8]) {
        self.name = name
        self.secret = secret
    }

    /// Parses `NAME:HEX` (surrounding whitespace ignored); nil when malformed.
    public init?(parsing text: String) {
        let trimmed = text.split(whereSeparator: \.isWhitespace).joined()
        guard let colon = trimmed.lastIndex(of: ":") else { return nil }
        let name = String(trimmed[..<colon])
        guard AccessToken.isValidName(name), let secret = Hex.decode(String(trimmed[trimmed.index(after: colon)...])),
              secret.count >= 16 else { return nil }
        self.init(name: name, secret: secret)
    }

    /// Names are 1–64 characters of letters, digits, `-`, `_` and `.`.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
        }
    }

    /// `NAME:HEX`, the form `quoted token add` prints and clients read.
    public var description: String { name + ":" + Hex.encode(secret) }
}

/// What a token allows.
public enum Role: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// GET, SEARCH, RANDOM, STATS, DIGEST, PING.
    case read = 1
    /// Read, plus ADD, DELETE and APPLY.
    case write = 2
    /// Read, plus CHANGES: for peers that replicate this archive.
    case replicate = 3

    /// Parses `read`, `write` or `replicate`.
    public init?(name: String) {
        guard let role = Role.allCases.first(where: { $0.description == name }) else { return nil }
        self = role
    }

    public var description: String {
        switch self {
        case .read: return "read"
        case .write: return "write"
        case .replicate: return "replicate"
        }
    }

    /// Whether this role may send `opcode`.
    /// An opcode this version does not define is refused (the server answers it with
    /// `unknown_opcode` before asking); every defined one is decided here, exhaustively.
    public func allows(_ opcode: Opcode) -> Bool {
        guard let kind = RequestKind(opcode) else { return false }
        switch kind {
        case .hello, .auth, .ping, .get, .search, .random, .stats, .digest, .digestRange, .speakers, .count: return true
        case .add, .edit, .delete, .apply: return self == .write
        case .changes: return self == .replicate
        }
    }
}
