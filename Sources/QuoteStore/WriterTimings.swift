import Dispatch
import Synchronization

/// Where the writer's time goes, summed since the archive opened: what a catch-up's phase
/// breakdown (`replication.caught_up`, scripts/bench-replication) subtracts between two
/// readings. A few clock reads per batch, not per op.
public struct WriterTimings: Sendable, Equatable {
    /// Batches drained, and ops appended by them.
    public var batches: UInt64 = 0
    public var ops: UInt64 = 0
    /// Planning each request against the state: last-writer-wins verdicts, record encoding.
    public var planNanoseconds: UInt64 = 0
    /// `write` of the batch to the log.
    public var appendNanoseconds: UInt64 = 0
    /// `fdatasync` of the batch (`.always`), or of a checkpoint's `syncNow`.
    public var syncNanoseconds: UInt64 = 0
    /// Applying the batch to the in-memory state and its indexes, under the write lock.
    public var commitNanoseconds: UInt64 = 0
    /// Rebuilding the indexes after a deferral (`Archive.deferIndexing`).
    public var rebuildNanoseconds: UInt64 = 0

    public init() {}

    /// The time and counts between `earlier` and this reading.
    public func since(_ earlier: WriterTimings) -> WriterTimings {
        var delta = WriterTimings()
        delta.batches = batches &- earlier.batches
        delta.ops = ops &- earlier.ops
        delta.planNanoseconds = planNanoseconds &- earlier.planNanoseconds
        delta.appendNanoseconds = appendNanoseconds &- earlier.appendNanoseconds
        delta.syncNanoseconds = syncNanoseconds &- earlier.syncNanoseconds
        delta.commitNanoseconds = commitNanoseconds &- earlier.commitNanoseconds
        delta.rebuildNanoseconds = rebuildNanoseconds &- earlier.rebuildNanoseconds
        return delta
    }
}

/// The writer's running `WriterTimings`, updated on its queue and read from anywhere.
public final class WriterClock: Sendable {
    private let totals = Mutex(WriterTimings())

    /// A monotonic reading in nanoseconds, the unit of every `WriterTimings` field.
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func record(_ change: (inout WriterTimings) -> Void) {
        totals.withLock { change(&$0) }
    }

    var reading: WriterTimings { totals.withLock { $0 } }
}
