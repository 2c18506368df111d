import QuotePOSIX
import Synchronization

/// How far this archive has applied each peer's log: peer node id → last sequence number.
///
/// Kept in `replication-checkpoints` in the data directory, one `NODEID SEQUENCE` line per
/// peer, rewritten durably (temporary file, fsync, rename) on every advance. A checkpoint
/// only moves forward, and callers advance it only once the ops it covers are durable
/// here, so a restart resumes without skipping an op. Guarded by a mutex.
public final class ReplicationCheckpoints: Sendable {
    private let path: String
    private let directory: String
    private let values: Mutex<[UInt64: UInt64]>

    /// Loads the checkpoints of the archive at `directory`.
    public init(directory: String) {
        self.directory = directory
        path = directory + "/replication-checkpoints"
        var loaded: [UInt64: UInt64] = [:]
        if let text = DataDirectory.readFile(path) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let node = UInt64(parts[0], radix: 16), let sequence = UInt64(parts[1]) {
                    loaded[node] = sequence
                }
            }
        }
        values = Mutex(loaded)
    }

    /// The last sequence number applied from `node`, 0 if none.
    public func checkpoint(for node: UInt64) -> UInt64 {
        values.withLock { $0[node] ?? 0 }
    }

    /// Moves `node`'s checkpoint to `sequence` if that is further, and saves it durably.
    ///
    /// The write happens under the lock: replicators of different peers advance at once,
    /// and two writers sharing the temporary file, or an older snapshot landing last,
    /// would lose a checkpoint. Advances are one per page of ops, so holding it is cheap.
    public func advance(_ node: UInt64, to sequence: UInt64) throws {
        try values.withLock { values throws in
            guard sequence > values[node] ?? 0 else { return }
            var text = ""
            var updated = values
            updated[node] = sequence
            for (peer, value) in updated.sorted(by: { $0.key < $1.key }) {
                let hex = String(peer, radix: 16)
                text += String(repeating: "0", count: 16 - hex.count) + hex + " \(value)\n"
            }
            try DataDirectory.writeDurably(Array(text.utf8), to: path, directory: directory)
            values = updated
        }
    }
}
