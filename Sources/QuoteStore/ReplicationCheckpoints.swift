import QuoteCore
import QuotePOSIX
import Synchronization

/// How far this archive has applied each peer's log: peer node id → checkpoint (the last
/// sequence number applied and the fingerprint of the op there), with this log's own last
/// sequence number when it was saved.
///
/// Kept in `replication-checkpoints` in the data directory, one `NODEID SEQUENCE
/// FINGERPRINT LOCAL` line per peer (STORAGE.md §1), rewritten durably (temporary file,
/// fsync, rename) on every change. A checkpoint moves forward as ops become durable here,
/// so a restart resumes without skipping an op. It moves back to the start when `reset`
/// finds the peer's log is no longer the one it names, and when this log turns out shorter
/// than it was when the checkpoint was saved: the ops it covered may be what was lost.
/// Guarded by a mutex.
public final class ReplicationCheckpoints: Sendable {
    /// One peer's line.
    struct Saved: Equatable {
        var checkpoint: ReplicationCheckpoint
        /// This log's last sequence number when the checkpoint was saved: every op the
        /// checkpoint covers is at or before it here. 0 on a line without one.
        var localSequence: UInt64
    }

    /// A checkpoint dropped on load because this log now ends before `localSequence`.
    public struct Dropped: Sendable {
        public let node: UInt64
        public let checkpoint: ReplicationCheckpoint
        public let localSequence: UInt64
    }

    private let path: String
    private let directory: String
    private let values: Mutex<[UInt64: Saved]>
    /// What loading dropped, for the server to warn about and count.
    public let dropped: [Dropped]

    /// Loads the checkpoints of the archive at `directory`, whose log ends at sequence
    /// number `logLastSequence`. A checkpoint saved when the log was longer is dropped (and
    /// the file rewritten without it): a power loss with `--fsync interval|never`, a log
    /// cut or restored from a backup may have lost the ops it covered, and only reading
    /// that peer again from the start brings them back. The file is rewritten without it
    /// when it can be; if not (a full disk), the next change rewrites it, and until then
    /// a restart finds the same log and drops the same lines again.
    public init(directory: String, logLastSequence: UInt64) {
        self.directory = directory
        path = directory + "/replication-checkpoints"
        var loaded = DataDirectory.readFile(path).map(ReplicationCheckpoints.parse) ?? [:]
        let outran = loaded.filter { $0.value.localSequence > logLastSequence }
        dropped = outran.sorted { $0.key < $1.key }.map {
            Dropped(node: $0.key, checkpoint: $0.value.checkpoint, localSequence: $0.value.localSequence)
        }
        for node in outran.keys { loaded.removeValue(forKey: node) }
        if !outran.isEmpty {
            try? DataDirectory.writeDurably(Array(ReplicationCheckpoints.format(loaded).utf8), to: path, directory: directory)
        }
        values = Mutex(loaded)
    }

    /// The lines of a checkpoint file. A line with two fields is one an earlier version
    /// wrote, with no fingerprint and no local sequence number. Unreadable lines are
    /// ignored (the peer starts again).
    static func parse(_ text: String) -> [UInt64: Saved] {
        var loaded: [UInt64: Saved] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 || parts.count == 4,
                  let node = UInt64(parts[0], radix: 16), let sequence = UInt64(parts[1]) else { continue }
            var saved = Saved(checkpoint: ReplicationCheckpoint(sequence: sequence, fingerprint: nil), localSequence: 0)
            if parts.count == 4 {
                guard let fingerprint = UInt64(parts[2], radix: 16), let local = UInt64(parts[3]) else { continue }
                saved.checkpoint.fingerprint = fingerprint
                saved.localSequence = local
            }
            loaded[node] = saved
        }
        return loaded
    }

    /// The file's text for `values`, sorted by node id.
    static func format(_ values: [UInt64: Saved]) -> String {
        var text = ""
        for (peer, saved) in values.sorted(by: { $0.key < $1.key }) {
            text += HexText.sixteenDigits(peer) + " \(saved.checkpoint.sequence)"
            if let fingerprint = saved.checkpoint.fingerprint {
                text += " " + HexText.sixteenDigits(fingerprint) + " \(saved.localSequence)"
            }
            text += "\n"
        }
        return text
    }

    /// Where `node`'s log has been applied through; `.start` if nowhere.
    public func checkpoint(for node: UInt64) -> ReplicationCheckpoint {
        values.withLock { $0[node]?.checkpoint ?? .start }
    }

    /// Moves `node`'s checkpoint to `checkpoint` if that is further, and saves it durably
    /// with `localSequence`, a sequence number of this log at or past every op applied
    /// from `node` so far (its last, once they are durable).
    ///
    /// The write happens under the lock: replicators of different peers advance at once,
    /// and two writers sharing the temporary file, or an older snapshot landing last,
    /// would lose a checkpoint. Advances are one per page of ops, so holding it is cheap.
    public func advance(_ node: UInt64, to checkpoint: ReplicationCheckpoint, localSequence: UInt64) throws {
        try update { values in
            guard checkpoint.sequence > values[node]?.checkpoint.sequence ?? 0 else { return false }
            values[node] = Saved(checkpoint: checkpoint, localSequence: localSequence)
            return true
        }
    }

    /// Forgets `node`'s checkpoint, durably, so its log is read again from the start: for
    /// a peer whose log no longer holds the op the checkpoint names. Last writer wins makes
    /// the re-read safe; what this archive already has is skipped.
    public func reset(_ node: UInt64) throws {
        try update { values in values.removeValue(forKey: node) != nil }
    }

    /// Applies `change` to a copy and, if it says it changed something, saves the copy
    /// durably before it becomes the current values.
    private func update(_ change: (inout [UInt64: Saved]) -> Bool) throws {
        try values.withLock { values throws in
            var updated = values
            guard change(&updated) else { return }
            try DataDirectory.writeDurably(Array(ReplicationCheckpoints.format(updated).utf8), to: path, directory: directory)
            values = updated
        }
    }
}
