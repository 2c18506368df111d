import CQuoteSupport
import Dispatch
import QuoteCore

// Building the `RankedIndex` off the writer: the writer copies the lists it is built from
// (cheap: the arrays are shared until the writer next changes them), a utility thread
// builds it, and the writer installs it between batches.
extension ArchiveWriter {
    /// Starts a ranking in the background if one is due (see `SearchIndexes.rankingIsDue`);
    /// on the writer's queue.
    ///
    /// A ranking waits for writes to pause for `rankingIdleNanoseconds` (unless the tail is
    /// long, `rankingIsUrgent`): an import re-ranked every sixteenth of growth spent a
    /// quarter more server time. And it waits until four times the last one's build time
    /// has passed since that ended, so ranking takes at most a fifth of a core; a
    /// write-heavy test suite spent more time ranking than testing without it.
    func rankIfDue(afterWrite: Bool = false) {
        let now = WriterClock.now()
        if afterWrite { ranking.withLock { $0.lastWrite = now } }
        guard !isClosed, !writerView.bulkLoading, writerView.indexes.rankingIsDue else {
            finishRankingWaits()
            return
        }
        let urgent = writerView.indexes.rankingIsUrgent
        let start = ranking.withLock { ranking -> (token: UInt64, retryAfter: UInt64?) in
            let earliest = max(ranking.notBefore, urgent ? 0 : ranking.lastWrite + ArchiveWriter.rankingIdleNanoseconds)
            guard now >= earliest else {
                defer { ranking.retryScheduled = true }
                return (0, ranking.retryScheduled ? nil : earliest - now)
            }
            ranking.lastToken += 1
            return (ranking.lastToken, nil)
        }
        guard start.token != 0 else {
            if let wait = start.retryAfter {
                queue.asyncAfter(deadline: .now() + .nanoseconds(Int(wait))) { [self] in
                    ranking.withLock { $0.retryScheduled = false }
                    rankIfDue()
                }
            }
            return
        }
        let token = start.token
        let ordinalLimit = writerView.entries.count
        let input = shared.lock.withWriteLock {
            shared.state.indexes.beginRanking(token: token, ordinalLimit: ordinalLimit)
        }
        DispatchQueue.global(qos: .utility).async { [self] in
            let started = WriterClock.now()
            let ranked = RankedIndex(input)
            let built = WriterClock.now() - started
            queue.async { [self] in
                shared.lock.withWriteLock { shared.state.indexes.install(ranked, token: token) }
                // The build's scratch (bitmaps, sort buffers, the lists it replaced) went back
                // to malloc; hand it to the system, as after a rebuild.
                #if os(Linux)
                malloc_trim(0)
                #endif
                ranking.withLock { ranking in
                    ranking.rankings += 1
                    ranking.lastRankingNanoseconds = built
                    ranking.notBefore = WriterClock.now() + 4 * built
                }
                rankIfDue()
            }
        }
    }

    /// How long writes must pause before a ranking that is due but not urgent starts.
    static let rankingIdleNanoseconds: UInt64 = 200_000_000

    /// Calls `completion` once no ranking is due or being built (on the writer's queue).
    func whenRanked(_ completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            ranking.withLock { $0.waiting.append(completion) }
            rankIfDue()
        }
    }

    private func finishRankingWaits() {
        guard writerView.indexes.unranked.pending == nil else { return }
        let waiting = ranking.withLock { ranking in
            defer { ranking.waiting = [] }
            return ranking.waiting
        }
        for completion in waiting { completion() }
    }
}

/// The writer's record of its rankings: tokens handed out, waiters, and what they cost.
struct RankingRecord {
    var lastToken: UInt64 = 0
    var rankings = 0
    var lastRankingNanoseconds: UInt64 = 0
    /// When the next ranking may start (`WriterClock.now()`), and whether a retry for then
    /// is queued.
    var notBefore: UInt64 = 0
    /// When the writer last applied a batch of ops (`WriterClock.now()`).
    var lastWrite: UInt64 = 0
    var retryScheduled = false
    var waiting: [@Sendable () -> Void] = []
}
