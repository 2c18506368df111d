/// What STATS says about one replication peer.
struct PeerStatus: Sendable {
    /// Where the peer's replication stands.
    enum State: Sendable, CustomStringConvertible {
        case connecting
        case catchingUp
        case following
        case failing(String)
        /// A bad op from the peer: replication from it stopped until restart.
        case stopped(String)

        var description: String {
            switch self {
            case .connecting: return "connecting"
            case .catchingUp: return "catching_up"
            case .following: return "following"
            case let .failing(error): return "failing: \(error)"
            case let .stopped(error): return "stopped: \(error)"
            }
        }

        var name: String {
            switch self {
            case .connecting: return "connecting"
            case .catchingUp: return "catching_up"
            case .following: return "following"
            case .failing: return "failing"
            case .stopped: return "stopped"
            }
        }
    }

    var state: State = .connecting
    var nodeID: UInt64 = 0
    var checkpoint: UInt64 = 0
    var peerLastSequence: UInt64 = 0
    /// Monotonic time when this node last matched the peer's log; nil before the first time.
    var caughtUpAt: Double?
    var lastError = ""
    /// How often the peer's log was found not to hold the op the checkpoint named (restored,
    /// cut or emptied under the same node id) and was read again from the start.
    var resyncs: UInt64 = 0
}
