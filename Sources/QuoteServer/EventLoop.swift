#if canImport(Glibc)
import Glibc
#endif
import CQuoteSupport
import Foundation
import QuotePOSIX
import Synchronization

/// Something an event loop watches: a listener or a connection.
protocol EventHandler: AnyObject {
    /// Called on the loop's thread with the epoll event bits.
    func handle(events: UInt32)
    /// Called on the loop's thread about once a second.
    func tick(now: Double)
    /// Called on the loop's thread after a batch of `execute` closures, for each handler
    /// that asked with `flushAfterInbox` during it.
    func flushDeferred()
}

/// One epoll loop on its own thread.
///
/// Handlers are confined to the loop's thread. Other threads hand work over with
/// `execute`, which queues a closure under a mutex and wakes the loop through an eventfd.
/// An epoll loop costs 2–3 syscalls per request where Dispatch sources cost 5–7 (they
/// re-arm the descriptor with `epoll_ctl` on every event; measured on these 2-core machines
/// at 2.2–2.8× the CPU per request); Dispatch still carries the store's writer, timers and
/// signals.
final class EventLoop: @unchecked Sendable {
    // @unchecked: `handlers` and `scratch` are touched only on the loop thread; `inbox`
    // is a Mutex; the descriptors are immutable.
    let index: Int
    private let epoll: Int32
    private let wake: Int32
    private var handlers: [Int32: any EventHandler] = [:]
    private var deferredFlushes: [any EventHandler] = []
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// A read buffer shared by the loop's connections; only one reads at a time.
    var scratch = [UInt8](repeating: 0, count: 256 * 1024)

    init(index: Int) throws {
        self.index = index
        epoll = try SystemCall.require("epoll_create1", "loop \(index)") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wake = try SystemCall.require("eventfd", "loop \(index)") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wake))
        try SystemCall.require("epoll_ctl", "loop \(index)") { epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event) }
    }

    deinit {
        SystemCall.close(wake)
        SystemCall.close(epoll)
    }

    /// Starts the loop on a new thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "quoted-loop-\(index)"
        thread.start()
    }

    /// Runs `task` on the loop's thread, soon.
    func execute(_ task: @escaping @Sendable () -> Void) {
        // Only the closure that finds the inbox empty wakes the loop: the loop reads the
        // eventfd before it takes the inbox, and takes everything queued by then, so a
        // batch of completions from the store's writer costs one wake-up, not one each.
        let wasEmpty = inbox.withLock { tasks -> Bool in
            tasks.append(task)
            return tasks.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            // Only fails when the counter is already nonzero: the loop is being woken anyway.
            SystemCall.attempt { Glibc.write(wake, &one, 8) }
        }
    }

    /// Flushes `handler` once the current batch of `execute` closures has run, so that
    /// many responses completed together leave in one write; loop thread only.
    func flushAfterInbox(_ handler: any EventHandler) {
        deferredFlushes.append(handler)
    }

    /// Asks the loop to stop after its current iteration, and waits until it has.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        execute {}
        finished.wait()
    }

    /// Watches `descriptor` for `events`; loop thread only.
    func register(_ descriptor: Int32, _ handler: any EventHandler, events: UInt32) throws {
        var event = epoll_event(events: events, data: epoll_data_t(fd: descriptor))
        try SystemCall.require("epoll_ctl", "fd \(descriptor)") { epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) }
        handlers[descriptor] = handler
    }

    /// Changes the events watched; loop thread only.
    func modify(_ descriptor: Int32, events: UInt32) {
        var event = epoll_event(events: events, data: epoll_data_t(fd: descriptor))
        // Fails only for a descriptor no longer registered, which is then being closed.
        SystemCall.attempt { epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event) }
    }

    /// Stops watching `descriptor` (the caller closes it); loop thread only.
    func unregister(_ descriptor: Int32) {
        SystemCall.attempt { epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil) }
        handlers[descriptor] = nil
    }

    /// Every handler, for shutdown; loop thread only.
    var allHandlers: [any EventHandler] { Array(handlers.values) }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastTick = EventLoop.now()
        while !stopping.load(ordering: .relaxed) {
            // EINTR is retried inside; any other failure (none is expected) stops the loop.
            guard let waited = try? SystemCall.run("epoll_wait", "loop \(index)", {
                events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, Int32($0.count), 1000) }
            }) else { break }
            let count = waited
            for index in 0..<max(0, Int(count)) {
                let descriptor = events[index].data.fd
                if descriptor == wake {
                    var value: UInt64 = 0
                    SystemCall.attempt { Glibc.read(wake, &value, 8) }
                    continue
                }
                handlers[descriptor]?.handle(events: events[index].events)
            }
            runInbox()
            let now = EventLoop.now()
            if now - lastTick >= 1 {
                lastTick = now
                for handler in handlers.values { handler.tick(now: now) }
            }
        }
        runInbox()
        finished.signal()
    }

    private func runInbox() {
        while true {
            let tasks = inbox.withLock { tasks -> [@Sendable () -> Void] in
                let taken = tasks
                tasks.removeAll(keepingCapacity: true)
                return taken
            }
            if tasks.isEmpty { return }
            for task in tasks { task() }
            let flushes = deferredFlushes
            deferredFlushes.removeAll(keepingCapacity: true)
            for handler in flushes { handler.flushDeferred() }
        }
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
