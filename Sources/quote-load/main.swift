#if canImport(Glibc)
import Glibc
#endif
import Foundation

// `quote-load`: prepare the workload, start the threads together, merge what they saw, report.

/// Writes `message` and a newline to standard error.
func printError(_ message: String) {
    // write(2) rather than fputs: the C `stderr` global is shared mutable state to Swift 6.
    let bytes = Array((message + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

// A connection the server closes must fail a send, not kill the process.
signal(SIGPIPE, SIG_IGN)

let configuration = LoadConfiguration.parse()
let runTag = String(UInt64.random(in: 0...UInt64.max) >> 16, radix: 16)

let workload: Workload
let seededQuotes: Int
let preparationStarted = MonotonicClock.nanoseconds()
do throws(LoadFailure) {
    (workload, seededQuotes) = try Workload.prepare(configuration, runTag: runTag)
} catch {
    printError("quote-load: \(error)")
    exit(LoadFailure.exitCode)
}
if seededQuotes > 0 {
    let seconds = Double(MonotonicClock.nanoseconds() - preparationStarted) / 1e9
    printError("quote-load: added \(seededQuotes) seed quotes in \(LoadReport.fixed(seconds, 2)) s")
}

let coordinator = LoadCoordinator(workerCount: configuration.threads)
let budget = RequestBudget(limit: configuration.requestLimit)
let seed = UInt64.random(in: 0...UInt64.max)
for index in 0..<configuration.threads {
    let share = configuration.connections / configuration.threads
        + (index < configuration.connections % configuration.threads ? 1 : 0)
    let thread = Thread {
        LoadWorker(index: index, configuration: configuration, workload: workload, budget: budget, seed: seed)
            .run(connectionCount: share, coordinator: coordinator)
    }
    thread.name = "quote-load-\(index)"
    thread.start()
}

let setupFailures = coordinator.waitUntilReady()
guard setupFailures.isEmpty else {
    coordinator.fire(at: nil)
    _ = coordinator.waitForOutcomes()
    printError("quote-load: cannot open \(configuration.connections) connections: \(setupFailures[0])")
    exit(LoadFailure.exitCode)
}
let start = MonotonicClock.nanoseconds()
coordinator.fire(at: start)
let outcomes = coordinator.waitForOutcomes()

var tally = LoadTally()
for outcome in outcomes { tally.merge(outcome.tally) }
let end = outcomes.map(\.endNanoseconds).max() ?? start
let report = LoadReport(configuration: configuration, tally: tally, elapsedSeconds: Double(end - start) / 1e9,
                        seededQuotes: seededQuotes)
print(configuration.json ? report.json() : report.line())
if let failure = tally.firstFailure {
    printError("quote-load: \(tally.failedRequests) requests failed, \(tally.lostConnections) connections lost; first: \(failure)")
}
exit(tally.failedRequests == 0 && tally.lostConnections == 0 ? 0 : 1)
