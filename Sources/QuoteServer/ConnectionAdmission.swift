import Synchronization

/// Decides whether a new connection may stay: the server's cap on connections, the cap per
/// client address, and room for newcomers' handshakes.
///
/// A client that opens connections and then sends its HELLO a byte at a time used to hold
/// every slot for as long as it liked. Now a connection still in its handshake (HELLO, and
/// AUTH when tokens are required) is the one that gives way: when a new connection would
/// pass a cap, the oldest connection still handshaking that counts against that cap is
/// closed to make room, and only when there is none is the new one refused. Connections
/// that finished their handshake are never closed for a newcomer. Each handshake also has a
/// deadline (`Connection.tick`), so a slow one ends on its own.
///
/// Shared by every event loop, so it is behind a mutex; a decision is a few dictionary
/// operations per accept, and at a cap one pass over the connections for the oldest
/// handshake (at most `--max-connections` of them).
final class ConnectionAdmission: Sendable {
    /// What to do with a new connection.
    enum Decision {
        /// Keep it; close these handshaking connections (on their loops) to make room.
        case admit(evicting: [Connection])
        /// Refuse it with `too_many_connections` and this message.
        case refuse(String)
    }

    private struct Entry {
        let connection: Connection
        let host: String
        let acceptedAt: Double
        var handshaking = true
    }

    private struct State {
        /// Every connection counted against the caps, by identity.
        var entries: [ObjectIdentifier: Entry] = [:]
        var perHost: [String: Int] = [:]
    }

    private let maxConnections: Int
    /// 0: no cap per address.
    private let maxPerAddress: Int
    private let state = Mutex(State())

    init(maxConnections: Int, maxPerAddress: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
    }

    /// Counts `connection` from `host` if the caps allow it, making room by evicting the
    /// oldest handshaking connections where they do not; a refused connection is not
    /// counted.
    func admit(_ connection: Connection, host: String, now: Double) -> Decision {
        state.withLock { state in
            var evicting: [Connection] = []
            if maxPerAddress > 0, state.perHost[host, default: 0] >= maxPerAddress {
                guard let oldest = Self.oldestHandshaking(in: state, from: host) else {
                    return .refuse("the server is at its limit of \(maxPerAddress) connections from \(host)")
                }
                evicting.append(Self.release(oldest, in: &state))
            }
            if state.entries.count >= maxConnections {
                guard let oldest = Self.oldestHandshaking(in: state, from: nil) else {
                    return .refuse("the server is at its limit of \(maxConnections) connections")
                }
                evicting.append(Self.release(oldest, in: &state))
            }
            state.entries[ObjectIdentifier(connection)] = Entry(connection: connection, host: host, acceptedAt: now)
            state.perHost[host, default: 0] += 1
            return .admit(evicting: evicting)
        }
    }

    /// `connection` from `host` finished its handshake: from now on it is never evicted.
    /// One released for an eviction that it outran is counted again, since it stays.
    func handshakeFinished(_ connection: Connection, host: String) {
        state.withLock { state in
            let key = ObjectIdentifier(connection)
            if state.entries[key] != nil {
                state.entries[key]!.handshaking = false
            } else {
                state.entries[key] = Entry(connection: connection, host: host, acceptedAt: connection.acceptedAt, handshaking: false)
                state.perHost[host, default: 0] += 1
            }
        }
    }

    /// `connection` closed; a connection already released by an eviction is not counted twice.
    func closed(_ connection: Connection) {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: ObjectIdentifier(connection)) else { return }
            Self.uncount(entry.host, in: &state)
        }
    }

    /// How many connections are counted now (STATS and tests).
    var count: Int { state.withLock { $0.entries.count } }

    private static func oldestHandshaking(in state: State, from host: String?) -> ObjectIdentifier? {
        var oldest: (key: ObjectIdentifier, acceptedAt: Double)?
        for (key, entry) in state.entries where entry.handshaking && (host == nil || entry.host == host) {
            if oldest.map({ entry.acceptedAt < $0.acceptedAt }) ?? true { oldest = (key, entry.acceptedAt) }
        }
        return oldest?.key
    }

    /// Stops counting an evicted connection now, so the newcomer's slot is free at once.
    private static func release(_ key: ObjectIdentifier, in state: inout State) -> Connection {
        let entry = state.entries.removeValue(forKey: key)!
        uncount(entry.host, in: &state)
        return entry.connection
    }

    private static func uncount(_ host: String, in state: inout State) {
        let left = state.perHost[host, default: 1] - 1
        state.perHost[host] = left > 0 ? left : nil
    }
}
