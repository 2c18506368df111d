import CQuoteSupport
import Foundation
import Synchronization

/// A few threads that answer the expensive reads (word, phrase and tag searches, COUNT,
/// SPEAKERS, ranges of DIGEST_RANGE) so that none runs on an event loop: while one
/// connection's query walks a million postings, the loop goes on answering every other
/// connection's GETs and speaker searches.
///
/// One thread per core, first in, first out. The threads run at a lower scheduling
/// priority (nice 5) than the loops, so on a busy machine the loops' short answers still
/// come first. The queue is bounded per connection by the caller (`Connection`), which
/// answers on the loop, as before, once it has `maxQueuedPerConnection` queued.
final class QueryPool: Sendable {
    /// Queries one connection may have waiting or running here; more run on its loop.
    static let maxQueuedPerConnection = 8

    /// Work not yet started; the threads live as long as the process.
    private let queue = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    init(threads: Int) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in run() }
            thread.name = "quoted-query-\(index)"
            thread.start()
        }
    }

    /// Runs `work` on a pool thread, after everything submitted before it has started.
    func submit(_ work: @escaping @Sendable () -> Void) {
        queue.withLock { $0.append(work) }
        available.signal()
    }

    private func run() {
        // Below the event loops; where it cannot be lowered, the pool still keeps them free.
        _ = cqs_nice_this_thread(5)
        while true {
            available.wait()
            // One signal per submit, so the queue holds work whenever a wait returns.
            let next = queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            next?()
        }
    }
}
