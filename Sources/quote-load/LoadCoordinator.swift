import Dispatch
import Synchronization

/// Lines the worker threads up and collects what they measured.
///
/// Every worker connects its own sockets, reports ready and waits; once all are ready the
/// main thread fires the start (so connecting and HELLO are not measured) with one shared
/// start time, then waits for each worker's outcome.
///
/// Thread-safe: Dispatch primitives, an atomic, and a mutex around the outcomes.
final class LoadCoordinator: Sendable {
    /// What one worker hands back.
    struct Outcome: Sendable {
        /// What it measured.
        var tally = LoadTally()
        /// When it stopped measuring: the deadline, or when its last request was answered.
        var endNanoseconds: UInt64 = 0
        /// Why it could not start, if it could not.
        var setupFailure: String?
    }

    private let workerCount: Int
    private let ready = DispatchGroup()
    private let finished = DispatchGroup()
    private let gun = DispatchSemaphore(value: 0)
    /// 0 until the start is fired; `UInt64.max` when the run is called off.
    private let startNanoseconds = Atomic<UInt64>(0)
    private let outcomes = Mutex<[Outcome]>([])

    /// A coordinator for `workerCount` workers.
    init(workerCount: Int) {
        self.workerCount = workerCount
        for _ in 0..<workerCount {
            ready.enter()
            finished.enter()
        }
    }

    // MARK: Worker side

    /// Says this worker has connected (or failed to), then waits for the start; returns the
    /// shared start time, or nil when the run is called off.
    func arriveAndWait() -> UInt64? {
        ready.leave()
        gun.wait()
        let start = startNanoseconds.load(ordering: .acquiring)
        return start == UInt64.max ? nil : start
    }

    /// Hands in this worker's outcome; call exactly once: after `arriveAndWait`, or before
    /// it when the worker could not connect, so the main thread sees the failure.
    func finish(_ outcome: Outcome) {
        outcomes.withLock { $0.append(outcome) }
        finished.leave()
    }

    // MARK: Main side

    /// Waits until every worker has connected or failed to; returns the failures.
    func waitUntilReady() -> [String] {
        ready.wait()
        return outcomes.withLock { $0.compactMap(\.setupFailure) }
    }

    /// Starts every worker at `now`, or calls the run off.
    func fire(at now: UInt64?) {
        startNanoseconds.store(now ?? UInt64.max, ordering: .releasing)
        for _ in 0..<workerCount { gun.signal() }
    }

    /// Waits for every worker and returns their outcomes.
    func waitForOutcomes() -> [Outcome] {
        finished.wait()
        return outcomes.withLock { $0 }
    }
}
