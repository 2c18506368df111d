#if canImport(Glibc)
import Glibc
#endif
import QuoteCore
import QuotePOSIX

/// One OS thread driving its share of the connections with `poll`.
///
/// A closed loop: each connection starts with `depth` requests in flight, and every
/// response read is replaced by a new request in the same wake-up, so a connection costs
/// about one `read` and one `send` per batch of responses plus its share of one `poll`.
/// Sending stops at the deadline or when the request budget is spent; requests still in
/// flight at the deadline are abandoned (not counted), while a spent budget waits for its
/// last answers (until the deadline).
///
/// Confined to the thread that runs it, which opens and closes its sockets.
final class LoadWorker {
    private let index: Int
    private let configuration: LoadConfiguration
    private let workload: Workload
    private let budget: RequestBudget
    private var connections: [LoadConnection] = []
    private var tally: LoadTally
    private var random: SplitMix64
    private var sequence = 0
    /// Requests claimed from the budget and not yet sent.
    private var allowance = 0
    private var budgetSpent = false
    private var scratch = [UInt8](repeating: 0, count: 256 * 1024)

    /// Requests claimed from a limited budget at a time.
    private static let claimChunk = 64

    init(index: Int, configuration: LoadConfiguration, workload: Workload, budget: RequestBudget, seed: UInt64) {
        self.index = index
        self.configuration = configuration
        self.workload = workload
        self.budget = budget
        tally = LoadTally(decodesEverything: configuration.decodeAll)
        random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Connects `connectionCount` sockets, waits for the start, runs until the deadline and
    /// hands the outcome to `coordinator`.
    func run(connectionCount: Int, coordinator: LoadCoordinator) {
        do throws(LoadFailure) {
            for _ in 0..<connectionCount {
                connections.append(try LoadConnection(address: configuration.server, depth: configuration.depth,
                                                      timeoutSeconds: 10))
            }
        } catch {
            closeAll()
            coordinator.finish(LoadCoordinator.Outcome(setupFailure: error.description))
            _ = coordinator.arriveAndWait()
            return
        }
        guard let start = coordinator.arriveAndWait() else {
            closeAll()
            coordinator.finish(LoadCoordinator.Outcome())
            return
        }
        let deadline = start + UInt64(configuration.durationSeconds * 1e9)
        let end = drive(until: deadline)
        closeAll()
        coordinator.finish(LoadCoordinator.Outcome(tally: tally, endNanoseconds: end))
    }

    /// The loop; returns when measuring stopped.
    private func drive(until deadline: UInt64) -> UInt64 {
        let now = MonotonicClock.nanoseconds()
        for connection in connections {
            refill(connection, now: now)
            service(connection, events: 0, now: now)
        }
        var pollers = connections.map { pollfd(fd: $0.descriptor, events: 0, revents: 0) }
        while true {
            let now = MonotonicClock.nanoseconds()
            if now >= deadline { return deadline }
            var open = 0
            var inFlight = 0
            for (slot, connection) in connections.enumerated() {
                pollers[slot].fd = connection.descriptor
                guard connection.isOpen else { continue }
                open += 1
                inFlight += connection.inFlight
                pollers[slot].events = Int16(POLLIN) | (connection.hasPendingOutput ? Int16(POLLOUT) : 0)
            }
            if open == 0 || (budgetSpent && allowance == 0 && inFlight == 0) { return now }
            let waitMilliseconds = Int32(min(100, (deadline - now) / 1_000_000 + 1))
            let ready = pollers.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), waitMilliseconds) }
            guard ready > 0 else {
                let code = errno
                if ready < 0 && code != EINTR {
                    tally.loseConnection("poll: \(String(cString: strerror(code))) (errno \(code))")
                    return MonotonicClock.nanoseconds()
                }
                continue
            }
            let woke = MonotonicClock.nanoseconds()
            for slot in pollers.indices where pollers[slot].revents != 0 {
                service(connections[slot], events: pollers[slot].revents, now: woke)
            }
        }
    }

    /// Reads the answers that arrived, queues their replacements, and writes what waits.
    private func service(_ connection: LoadConnection, events: Int16, now: UInt64) {
        do throws(LoadFailure) {
            if events & Int16(POLLIN | POLLERR | POLLHUP) != 0 {
                try connection.receive(scratch: &scratch, now: now, expecting: workload.operation, into: &tally)
                refill(connection, now: now)
            }
            try connection.flush()
        } catch {
            tally.loseConnection(error.description)
            connection.close()
        }
    }

    /// Queues requests until the connection has `depth` in flight, as the budget allows.
    private func refill(_ connection: LoadConnection, now: UInt64) {
        let wanted = connection.freeSlotCount
        if wanted > allowance && !budgetSpent {
            let asked = max(wanted - allowance, LoadWorker.claimChunk)
            let granted = budget.claim(asked)
            allowance += granted
            budgetSpent = granted < asked
        }
        let count = min(wanted, allowance)
        guard count > 0 else { return }
        allowance -= count
        connection.enqueue(count, workload: workload, thread: index, sequence: &sequence, random: &random, now: now)
    }

    private func closeAll() {
        for connection in connections { connection.close() }
    }
}
