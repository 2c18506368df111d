#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import Foundation
import QuoteCLISupport
import QuoteClient
import QuoteCore
import QuotePOSIX
import Synchronization

/// `quotes replicate --from A --to B [--follow]`: copies the ops A has that B lacks, by
/// reading A's log with CHANGES from sequence 0 and handing the ops to B with APPLY.
///
/// Two threads overlap the two halves: a reader holds a CHANGES follow stream on A (the
/// server pushes pages back to back, paced by the socket, so no round trip separates two
/// pages; `ChangeFeed` reads it) and queues up to `ChangeFeed.pagesInFlight` pages; the main thread takes whatever pages are
/// queued, packs their ops into APPLY frames B accepts, and sends them pipelined. B applies
/// every op with last-writer-wins and skips what it knows, so a second run applies 0 and
/// replicating in both directions converges the two archives.
///
/// Without `--follow` the copy stops once it has read through the sequence number A had
/// when the first page came; with it, the stream stays open and new ops on A reach B as
/// they are appended, until SIGINT or SIGTERM, which print the summary and exit 0.
enum ReplicateCommand: Subcommand {
    /// Room left in an APPLY frame for its header and the op count.
    static let frameOverheadBytes = 256
    /// How often the progress line is redrawn, at most.
    static let progressInterval = Duration.milliseconds(100)

    static let spec = CommandSpec(
        name: "replicate",
        abstract: "Copy the quotes and deletions one server has and another lacks.",
        discussion: """
            Reads every operation (adds and deletes, with their timestamps and origin) from \
            --from with CHANGES, starting at its first, and sends them to --to with APPLY. \
            --to keeps, for each quote, the latest operation, so nothing it has is lost and \
            a second run applies nothing. When --to had nothing --from lacks (or once the \
            copy has also run the other way), 'quotes digest' then prints the same digest \
            on both. The global --server option is not used.

            Servers that require tokens need one with the replicate role on --from (for \
            CHANGES) and one with the write role on --to (for APPLY): --from-token-file and \
            --to-token-file, each defaulting to the global token.

            Prints operations read, operations --to applied, bytes, elapsed time and rate. \
            On a terminal, a progress bar on standard error measures against the last \
            sequence number --from had at the start.

            With --follow, keeps copying new operations as --from appends them, until \
            interrupted (Ctrl-C or SIGTERM); then prints the summary and exits with 0. \
            Exits with 3 when either server cannot be reached, drops the connection or \
            refuses the operations (a read-only --to, for one).
            """,
        options: [
            .single("from", valueName: "HOST:PORT", help: "The server to copy from.", isRequired: true),
            .single("to", valueName: "HOST:PORT", help: "The server to copy to.", isRequired: true),
            .flag("follow", help: "Keep copying new operations until interrupted."),
            .single("from-token-file", valueName: "file", help: "A file holding the token for --from, NAME:HEX. (default: the global token)"),
            .single("to-token-file", valueName: "file", help: "A file holding the token for --to, NAME:HEX. (default: the global token)"),
        ])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        let from = try address(parsed, "from")
        let to = try address(parsed, "to")
        guard from != to else { throw invocation.usageError("--from and --to name the same server, \(from)") }
        let follow = parsed.flag("follow")
        let timeout = invocation.configuration.timeoutSeconds

        let token = invocation.configuration.token
        let source = try connect(from, timeoutSeconds: timeout, token: try self.token(parsed, "from-token-file") ?? token)
        let target = try connect(to, timeoutSeconds: timeout, token: try self.token(parsed, "to-token-file") ?? token)
        guard source.server.nodeID != target.server.nodeID else {
            throw invocation.usageError("--from \(from) and --to \(to) are the same archive (node \(HexText.sixteenDigits(source.server.nodeID)))")
        }

        let tally = SharedTally()
        let output = SummaryOutput(from: from, to: to, json: invocation.configuration.json,
                                   progress: Terminal.standardErrorIsTerminal)
        let interruption = follow ? output.printOnInterrupt(tally) : nil
        defer { interruption?.forEach { $0.cancel() } }

        let queue = PageQueue(capacity: ChangeFeed.pagesInFlight)
        let reader = Thread {
            readPages(from: source, into: queue, follow: follow)
        }
        reader.name = "quotes-replicate-reader"
        reader.start()

        let maxPayloadBytes = Int(target.server.maxFrameBytes) - frameOverheadBytes
        var lastDrawn: ContinuousClock.Instant?
        while true {
            let (pages, end) = queue.take()
            let ops = pages.flatMap(\.ops)
            // Counted as read before they are applied: an interrupt during the apply then
            // reports them read, and applied only once the target has answered.
            tally.update { tally in
                for page in pages { tally.record(page) }
            }
            var applied = 0
            if !ops.isEmpty {
                let batches = applyBatches(ops.map(\.op), maxPayloadBytes: maxPayloadBytes)
                do {
                    applied = try applyAll(batches, to: target)
                } catch {
                    output.finish(tally.snapshot)
                    throw Failure(error, server: to)
                }
            }
            let now = ContinuousClock.now
            let snapshot = tally.update { tally in
                tally.opsApplied += applied
            }
            queue.release(pages.count)
            let due = lastDrawn.map { now - $0 >= progressInterval } ?? true
            if output.progress && (due || end != nil) {
                output.draw(snapshot, follow: follow)
                lastDrawn = now
            }
            switch end {
            case nil:
                continue
            case .finished:
                output.finish(snapshot)
                return .success
            case let .failed(error):
                output.finish(snapshot)
                throw Failure(error, server: from)
            }
        }
    }

    /// The address an option names; a malformed one is a usage error.
    static func address(_ parsed: ParsedCommand, _ option: String) throws(Failure) -> SocketAddress {
        let text = parsed.value(option) ?? ""
        guard let address = Configuration.address(text) else {
            throw .usage(parsed.invalidValue(text, for: option, expected: "HOST:PORT or [IPV6]:PORT with a numeric address"))
        }
        return address
    }

    /// The token in the file an option names, nil without the option; an unreadable file
    /// is a usage error, as for the global --token-file.
    static func token(_ parsed: ParsedCommand, _ option: String) throws(Failure) -> AccessToken? {
        guard let path = parsed.value(option) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let token = AccessToken(parsing: text) else {
            throw .usage(parsed.usageError("Cannot read a token (NAME:HEX) from '\(path)' for '--\(option)'"))
        }
        return token
    }

    static func connect(_ address: SocketAddress, timeoutSeconds: Double, token: AccessToken?) throws(Failure) -> ArchiveClient {
        do {
            return try ArchiveClient(address: address, timeoutSeconds: timeoutSeconds, clientName: "quotes/\(Configuration.version)",
                                     token: token)
        } catch {
            throw Failure(error, server: address, connecting: true)
        }
    }

    /// The reader thread: one follow stream on `source`, every page queued in order, then
    /// how it ended. Without `follow` it stops once it has read through the sequence number
    /// the first page announced, so a source taking writes still lets the copy end.
    static func readPages(from source: ArchiveClient, into queue: PageQueue, follow: Bool) {
        var target: UInt64?
        do {
            try ChangeFeed(source, since: 0).read { page in
                let through = target ?? page.lastSequence
                target = through
                queue.put(Page(ops: page.ops, lastSequence: page.lastSequence))
                guard !follow else { return true }
                return !(page.ops.isEmpty || page.ops.last!.sequence >= through)
            }
            queue.end(.finished)
        } catch let error as ClientError {
            queue.end(.failed(error))
        } catch {
            queue.end(.failed(.protocolViolation(String(describing: error))))
        }
    }

    /// Sends the APPLY requests pipelined; returns how many ops the server appended.
    static func applyAll(_ batches: [[Op]], to target: ArchiveClient) throws(ClientError) -> Int {
        var applied = 0
        for response in try target.send(batches.map { Request.apply($0) }) {
            switch response {
            case let .applied(count): applied += Int(count)
            case let .error(code, message): throw .server(code: code, message: message)
            default: throw .protocolViolation("expected APPLY_OK, got \(response.opcode)")
            }
        }
        return applied
    }

    /// Consecutive runs of `ops`, each encoding to at most `maxPayloadBytes` (an op larger
    /// than that still gets a run of its own, for the server to refuse by name).
    static func applyBatches(_ ops: [Op], maxPayloadBytes: Int) -> [[Op]] {
        var batches: [[Op]] = []
        var current: [Op] = []
        var bytes = 0
        for op in ops {
            let size = encodedBytes(op)
            if !current.isEmpty && bytes + size > maxPayloadBytes {
                batches.append(current)
                current = []
                bytes = 0
            }
            current.append(op)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// The bytes `op` takes on the wire, as `Op.encode(into:)` writes it, counted rather than
    /// written: its fixed fields, then for a put its quote.
    static func encodedBytes(_ op: Op) -> Int {
        Op.fixedBytes + (op.quote?.encodedByteCount ?? 0)
    }
}

/// One CHANGES page as the reader queued it.
struct Page: Sendable {
    /// The ops of the page, in log order.
    var ops: [SequencedOp]
    /// The source's last sequence number when it made the page.
    var lastSequence: UInt64
}

/// How the reader's stream ended.
enum StreamEnd: Sendable {
    /// Read through the target sequence number (never, with `--follow`).
    case finished
    /// The source failed, dropped the connection, or broke the protocol.
    case failed(ClientError)
}

/// The pages between the reader and the applier, at most `capacity` of them read and not
/// yet applied; the reader blocks when it is full, and so the server's follow stream is
/// paced by the target's speed. The item list is guarded by its mutex; the semaphores
/// count filled and free places.
final class PageQueue: Sendable {
    private let state = Mutex<(pages: [Page], end: StreamEnd?)>(([], nil))
    private let filled = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        // Counted up from 0 rather than created at `capacity`: libdispatch traps when a
        // semaphore is freed below its initial value, as it is when a copy fails mid-way.
        for _ in 0..<capacity { free.signal() }
    }

    /// Queues a page, waiting for a free place.
    func put(_ page: Page) {
        free.wait()
        state.withLock { $0.pages.append(page) }
        filled.signal()
    }

    /// Records how the stream ended; the applier sees it after the pages queued before.
    func end(_ end: StreamEnd) {
        state.withLock { $0.end = end }
        filled.signal()
    }

    /// Waits for at least one page or the end, then takes every page queued, and the end
    /// if it has come and no page is left behind it.
    func take() -> (pages: [Page], end: StreamEnd?) {
        filled.wait()
        let taken = state.withLock { state -> (pages: [Page], end: StreamEnd?) in
            let pages = state.pages
            state.pages = []
            return (pages, state.end)
        }
        // Each page and the end signalled once; the first wait covered one of them.
        let signals = taken.pages.count + (taken.end == nil ? 0 : 1)
        for _ in 1..<max(1, signals) { filled.wait() }
        return taken
    }

    /// Gives back the places of `count` applied pages.
    func release(_ count: Int) {
        for _ in 0..<count { free.signal() }
    }
}

/// The tally, shared between the applier and the interrupt handler; guarded by its mutex.
final class SharedTally: Sendable {
    private let tally = Mutex(ReplicationTally())

    /// A copy of the tally now.
    var snapshot: ReplicationTally { tally.withLock { $0 } }

    /// Changes the tally with `body`; returns it as changed.
    @discardableResult
    func update(_ body: (inout ReplicationTally) -> Void) -> ReplicationTally {
        tally.withLock { tally in
            body(&tally)
            return tally
        }
    }
}

/// What has been copied so far.
struct ReplicationTally: Sendable {
    /// When the copy started.
    var startedAt = ContinuousClock.now
    /// Ops received from the source.
    var opsRead = 0
    /// Ops the target appended: the rest it already had, or had newer.
    var opsApplied = 0
    /// Bytes of the ops received as CHANGES carried them: each op and its sequence number.
    var bytes = 0
    /// The sequence number of the last op received.
    var readThrough: UInt64 = 0
    /// The source's last sequence number when the copy started: what the progress bar aims at.
    var target: UInt64?
    /// The source's last sequence number, latest known.
    var sourceLast: UInt64 = 0

    mutating func record(_ page: Page) {
        if target == nil { target = page.lastSequence }
        sourceLast = max(sourceLast, page.lastSequence)
        opsRead += page.ops.count
        for op in page.ops { bytes += ReplicateCommand.encodedBytes(op.op) + 8 }
        if let last = page.ops.last { readThrough = last.sequence }
    }

    var elapsedSeconds: Double {
        max((ContinuousClock.now - startedAt).seconds, 1e-6)
    }
}

/// Where the progress line and the summary go, and how they look.
struct SummaryOutput: Sendable {
    let from: SocketAddress
    let to: SocketAddress
    let json: Bool
    /// Whether to draw a progress line on standard error (a terminal).
    let progress: Bool

    /// `[#####     ]  50%  500000/1000000  61.2 MB  104211 ops/s  ETA 0:05`, the bar in
    /// sequence numbers (ops, give or take gaps) against the source's last one at the start;
    /// once caught up with `--follow`, a count of ops applied instead.
    func draw(_ tally: ReplicationTally, follow: Bool) {
        let seconds = tally.elapsedSeconds
        let rate = Double(tally.opsRead) / seconds
        let size = megabytes(tally.bytes)
        let total = tally.target ?? 0
        if follow && tally.readThrough >= total && tally.readThrough >= tally.sourceLast {
            Terminal.error("\r\u{1B}[Kfollowing: \(tally.opsRead) ops read, \(tally.opsApplied) applied, \(size)")
            return
        }
        var line = ProgressBar.render(completed: Int(min(tally.readThrough, total)), total: Int(total), width: 20)
        line += "  \(size)  \(Int(rate)) ops/s"
        if rate > 0 && total > tally.readThrough {
            line += "  " + ProgressBar.timeLeft(Int(total - tally.readThrough), rate: rate)
        }
        Terminal.error("\r\u{1B}[K" + line)
    }

    /// Clears the progress line and prints the summary on standard output.
    func finish(_ tally: ReplicationTally) {
        if progress { Terminal.error("\r\u{1B}[K") }
        let seconds = tally.elapsedSeconds
        let opsPerSecond = Double(tally.opsRead) / seconds
        let bytesPerSecond = Double(tally.bytes) / seconds
        if json {
            Terminal.output(JSONText.object([
                ("from", from.description), ("to", to.description), ("ops_read", tally.opsRead),
                ("ops_applied", tally.opsApplied), ("bytes", tally.bytes), ("read_through", tally.readThrough),
                ("seconds", (seconds * 1000).rounded() / 1000), ("ops_per_second", Int(opsPerSecond)),
                ("bytes_per_second", Int(bytesPerSecond)),
            ]))
        } else {
            let rows = [
                ("ops read", String(tally.opsRead)),
                ("ops applied", String(tally.opsApplied)),
                ("bytes", String(tally.bytes)),
                ("elapsed", String(format: "%.2f s", seconds)),
                ("rate", "\(Int(opsPerSecond)) ops/s, " + megabytes(Int(bytesPerSecond)) + "/s"),
                ("read through", "sequence \(tally.readThrough) of \(from)"),
            ]
            for line in TableFormatter.lines(rows) { Terminal.output(line) }
        }
        Terminal.flush()
    }

    /// On SIGINT or SIGTERM, prints the summary of `tally` and exits with 0: how `--follow`
    /// normally ends. Returns the signal sources, to cancel once the copy ends otherwise.
    func printOnInterrupt(_ tally: SharedTally) -> [any DispatchSourceSignal] {
        // A signal must be ignored for its dispatch source to see it instead of the default action.
        let signals: [Int32] = [SIGINT, SIGTERM]
        return signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let output = self
            source.setEventHandler {
                output.finish(tally.snapshot)
                exit(ExitStatus.success.rawValue)
            }
            source.resume()
            return source
        }
    }

    func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}

