import Synchronization

/// The `--requests` cap, shared by every thread: each claims requests before sending them.
///
/// Threads claim in chunks (see `LoadWorker`), so the atomic is touched once per chunk,
/// not once per request. Unlimited budgets never touch it.
final class RequestBudget: Sendable {
    private let remaining: Atomic<Int>
    private let isLimited: Bool

    /// A budget of `limit` requests, or without limit when nil.
    init(limit: Int?) {
        remaining = Atomic(limit ?? 0)
        isLimited = limit != nil
    }

    /// Takes up to `count` requests; returns how many were granted (fewer once spent).
    func claim(_ count: Int) -> Int {
        guard isLimited else { return count }
        var current = remaining.load(ordering: .relaxed)
        while current > 0 {
            let granted = min(count, current)
            let (exchanged, original) = remaining.compareExchange(
                expected: current, desired: current - granted, ordering: .relaxed)
            if exchanged { return granted }
            current = original
        }
        return 0
    }
}
