import QuoteCore

/// What one thread saw: the latency of every answered request, and what went wrong.
///
/// Owned by one `LoadWorker`; merged on the main thread once the workers are done.
struct LoadTally: Sendable {
    /// Latencies of the requests answered with success.
    private(set) var latencies = LatencyHistogram()
    /// Requests answered with ERROR (or a rejected ADD) or with a response that does not decode.
    private(set) var failedRequests = 0
    /// Connections that ended before the run did.
    private(set) var lostConnections = 0
    /// The first failure, to show the user what kind it was.
    private(set) var firstFailure: String?

    /// Decode every response, not one in `sampleInterval`.
    private let decodesEverything: Bool
    /// Successes left to count before the next one is decoded in full.
    private var untilNextSample = 1

    /// Every ERROR and ADD_OK is decoded (a rejected quote is a failure); other successes
    /// are decoded one in this many, plus the first. Decoding every GET_OK took a quarter
    /// of the generator's CPU, which on a shared 2-core machine is CPU taken from the server.
    static let sampleInterval = 64

    /// An empty tally; `decodesEverything` checks every response in full.
    init(decodesEverything: Bool = false) {
        self.decodesEverything = decodesEverything
    }

    /// Requests answered with success.
    var succeeded: UInt64 { latencies.total }

    /// Counts one response: its opcode always, its payload as `sampleInterval` says.
    mutating func complete(_ frame: Frame, latencyNanoseconds: UInt64, expecting operation: LoadOperation) {
        if frame.opcode == operation.opcode.response && operation != .add && !decodesEverything {
            untilNextSample -= 1
            if untilNextSample > 0 {
                latencies.record(nanoseconds: latencyNanoseconds)
                return
            }
            untilNextSample = LoadTally.sampleInterval
        }
        let response: Response?
        do {
            response = try Response.decode(opcode: frame.opcode, payload: frame.payload)
        } catch {
            failRequest("\(frame.opcode) payload does not decode: \(error)")
            return
        }
        switch response {
        case let .error(code, message)?:
            failRequest("\(message) [\(code.name)]")
        case let .added(results)? where operation == .add:
            if let rejected = results.first(where: { $0.status == .rejected }) {
                failRequest("ADD rejected: \(rejected.message) [\(rejected.code.name)]")
            } else {
                latencies.record(nanoseconds: latencyNanoseconds)
            }
        case _? where frame.opcode == operation.opcode.response:
            latencies.record(nanoseconds: latencyNanoseconds)
        default:
            failRequest("expected \(operation.opcode.response), got \(frame.opcode)")
        }
    }

    /// Counts a request that failed.
    mutating func failRequest(_ reason: String) {
        failedRequests += 1
        if firstFailure == nil { firstFailure = reason }
    }

    /// Counts a connection that ended early and why.
    mutating func loseConnection(_ reason: String) {
        lostConnections += 1
        if firstFailure == nil { firstFailure = reason }
    }

    /// Adds another thread's tally to this one.
    mutating func merge(_ other: LoadTally) {
        latencies.merge(other.latencies)
        failedRequests += other.failedRequests
        lostConnections += other.lostConnections
        if firstFailure == nil { firstFailure = other.firstFailure }
    }
}
