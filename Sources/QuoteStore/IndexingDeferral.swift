import Synchronization

/// One holder's pause of indexing, from `Archive.deferIndexing()` until `resume`.
///
/// The archive counts the deferrals it has handed out and rebuilds the indexes when the
/// last is resumed; each handle tracks only its own: held, resumed and waiting for that
/// rebuild, or done. So a holder (a replicator catching up on one peer) needs no state of
/// its own, cannot resume twice, and a handle dropped without `resume` still resumes.
public final class IndexingDeferral: Sendable {
    private enum State {
        case held
        /// Resumed; these run once every quote is indexed again.
        case rebuilding([@Sendable () -> Void])
        case done
    }

    /// The state in a box of its own, so the rebuild's completion can reach it without
    /// holding the handle: `deinit` may be the one that resumes.
    private final class Box: Sendable {
        let state = Mutex(State.held)
    }

    private let writer: ArchiveWriter
    private let box = Box()

    init(writer: ArchiveWriter) {
        self.writer = writer
    }

    deinit {
        resume()
    }

    /// Whether this deferral has been resumed and the rebuild that followed has finished.
    public var isDone: Bool {
        box.state.withLock { if case .done = $0 { true } else { false } }
    }

    /// Ends this deferral (the first call only) and runs `completion` once every quote is
    /// indexed: after the rebuild the last resumed deferral starts, so a holder that is not
    /// the last waits for the others; at once when that rebuild is already done.
    public func resume(completion: @escaping @Sendable () -> Void = {}) {
        enum Step { case start, wait, runNow }
        let step = box.state.withLock { state -> Step in
            switch state {
            case .held:
                state = .rebuilding([completion])
                return .start
            case var .rebuilding(waiting):
                waiting.append(completion)
                state = .rebuilding(waiting)
                return .wait
            case .done:
                return .runNow
            }
        }
        switch step {
        case .start:
            writer.resumeIndexing { [box] in
                let waiting = box.state.withLock { state -> [@Sendable () -> Void] in
                    guard case let .rebuilding(waiting) = state else { return [] }
                    state = .done
                    return waiting
                }
                for completion in waiting { completion() }
            }
        case .wait:
            break
        case .runNow:
            completion()
        }
    }
}
