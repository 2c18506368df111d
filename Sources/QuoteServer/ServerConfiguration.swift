import QuoteCore
import QuotePOSIX
import QuoteStore

/// Everything `quoted` can be told, with the defaults a newcomer gets.
public struct ServerConfiguration: Sendable {
    /// Addresses to serve the protocol on.
    public var listenAddresses: [SocketAddress] = [SocketAddress(host: "127.0.0.1", port: 7878)]
    /// The data directory.
    public var dataDirectory = "./quotes-data"
    /// When writes reach the disk.
    public var durability: Archive.Durability = .always
    /// Connections beyond this are refused with `too_many_connections`, unless one still in
    /// its handshake can be closed to make room (`ConnectionAdmission`).
    public var maxConnections = 1_024
    /// The same, for the connections from one client address; 0 means no such cap.
    public var maxConnectionsPerAddress = 256
    /// Seconds from accept within which a connection must finish HELLO (and AUTH, with
    /// tokens), or be closed with `idle_timeout`.
    public var handshakeTimeoutSeconds = 10
    /// The work one SEARCH page may do before it ends short, with a cursor.
    public var searchWorkBudget = Archive.defaultSearchWorkBudget
    /// The largest frame length accepted.
    public var maxFrameBytes = Frame.defaultMaxFrameBytes
    /// Connections silent this long are closed with `idle_timeout`; 0 disables.
    public var idleTimeoutSeconds = 300
    /// Above this many unsent bytes a connection stops being read until its client catches up.
    public var outputHighWaterBytes = 1 << 20
    /// Above this many unsent bytes a connection is dropped: its client is not reading.
    public var maxOutputBytes = 16 << 20
    /// What to log.
    public var logLevel: Logger.Level = .info
    /// Where to serve RFC 865 Quote of the Day, if anywhere.
    public var qotdAddress: SocketAddress?
    /// Where the quotes a new, empty data directory is seeded with come from.
    public enum Seed: Sendable, Equatable {
        /// The sample quotes built into the binary (`scripts/seed-quotes.jsonl`).
        case builtIn
        /// A JSON Lines file.
        case file(String)
    }

    /// Quotes to load into a new, empty data directory, if any.
    public var seed: Seed?
    /// Keep the valid records of a log damaged in the middle.
    public var repair = false
    /// Refuse ADD and DELETE from clients.
    public var readOnly = false
    /// Peers to pull ops from continuously.
    public var replicateFrom: [SocketAddress] = []
    /// The token file; by default `tokens` in the data directory. With no tokens, clients
    /// need none and the server listens on loopback only.
    public var tokensPath: String?
    /// Allow non-loopback addresses without tokens.
    public var insecureNoAuth = false
    /// Tokens to present to each `replicateFrom` peer that asks for one, by address.
    public var peerTokens: [SocketAddress: AccessToken] = [:]
    /// Event-loop threads; by default one per core.
    public var eventLoopThreads = 0

    /// The defaults.
    public init() {}
}
