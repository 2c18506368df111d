import Synchronization

/// Counters the server reports in STATS, updated from every event loop.
final class ServerCounters: Sendable {
    let openConnections = Atomic<Int>(0)
    let totalConnections = Atomic<UInt64>(0)
    let refusedConnections = Atomic<UInt64>(0)
    /// Connections still in their handshake closed to make room for a new one.
    let evictedHandshakes = Atomic<UInt64>(0)
    let protocolErrors = Atomic<UInt64>(0)
    // One lock for all opcodes: an uncontended lock costs less than the syscalls around it.
    private let perOpcode = Mutex<[UInt64]>([UInt64](repeating: 0, count: 256))

    func count(opcode: UInt8) {
        perOpcode.withLock { $0[Int(opcode)] &+= 1 }
    }

    func count(of opcode: UInt8) -> UInt64 {
        perOpcode.withLock { $0[Int(opcode)] }
    }
}
