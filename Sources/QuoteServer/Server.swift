#if canImport(Glibc)
import Glibc
#endif
import CQuoteSupport
import Dispatch
import QuoteCore
import QuotePOSIX
import QuoteStore
import Synchronization

/// The `quoted` server: listeners, event loops and the archive they serve.
///
/// Lifecycle: `init` opens the archive (and seeds it), `start` binds and starts the loops,
/// `shutdown` stops accepting, finishes writes in flight, flushes answers and syncs.
public final class Server: Sendable {
    /// The name and version sent in HELLO_OK.
    public static let versionName = "quoted/0.1.0"

    /// The settings the server runs with.
    public let configuration: ServerConfiguration
    /// The archive served.
    public let archive: Archive
    let logger: Logger
    let counters = ServerCounters()
    private let loops: [EventLoop]
    private let replicators: [Replicator]
    /// The connection caps, and who gives way at them.
    let admission: ConnectionAdmission
    /// The threads that answer expensive reads off the event loops.
    let queries: QueryPool
    /// Peers' checkpoints dropped at start because this log had become shorter than when
    /// they were saved (STATS `replication.checkpoints_dropped`).
    private let checkpointsDropped: UInt64
    /// The accepted tokens; empty means no authentication (and loopback only).
    let tokens: TokenFile
    /// Recent failed authentications by client host, to slow down guessing.
    let authenticationFailures = Mutex<[String: (count: Int, windowStart: Double)]>([:])
    /// Failures allowed per host per minute before further attempts are refused outright.
    static let maxAuthenticationFailuresPerMinute = 10
    /// The largest frame an unauthenticated connection may send.
    static let preAuthenticationMaxFrameBytes = 16 * 1024
    /// Frames an unauthenticated connection may send (HELLO, AUTH and a retry).
    static let preAuthenticationMaxFrames = 4

    /// Whether clients must authenticate.
    var requiresAuthentication: Bool { !tokens.entries.isEmpty }
    private let startedAt = EventLoop.now()
    private let listeners = Mutex<[Int32]>([])
    /// The addresses actually bound (ephemeral ports resolved), in configuration order.
    public let boundAddresses = Mutex<[SocketAddress]>([])
    /// The QOTD address actually bound, if any.
    public let boundQOTDAddress = Mutex<SocketAddress?>(nil)

    /// Opens the archive in the configured data directory, seeding it if new.
    public init(configuration: ServerConfiguration) throws {
        self.configuration = configuration
        logger = Logger(minimumLevel: configuration.logLevel)
        let tokensPath = configuration.tokensPath ?? configuration.dataDirectory + "/tokens"
        do {
            tokens = try TokenFile(path: tokensPath)
        } catch {
            throw ServerStartError(description: error.description)
        }
        if tokens.entries.isEmpty {
            let exposed = configuration.listenAddresses.filter { !$0.isLoopback }
            if !exposed.isEmpty && !configuration.insecureNoAuth {
                throw ServerStartError(description: "refusing to listen on \(exposed.map(\.description).joined(separator: ", ")) "
                    + "without authentication: add a token with `quoted token add NAME --role write --data DIR` "
                    + "or pass --insecure-no-auth")
            }
        }
        var options = Archive.Options()
        options.durability = configuration.durability
        options.repair = configuration.repair
        options.searchWorkBudget = configuration.searchWorkBudget
        archive = try Archive(path: configuration.dataDirectory, options: options)
        let report = archive.recoveryReport
        let timings = archive.openTimings
        logger.log(.info, "archive.opened", ["path": configuration.dataDirectory, "records": String(report.records),
                                             "node": HexText.sixteenDigits(archive.nodeID), "read_ms": String(timings.readMilliseconds),
                                             "check_ms": String(timings.checkMilliseconds),
                                             "index_ms": String(timings.indexMilliseconds)])
        if let upgrade = archive.upgrade {
            logger.log(.warning, "archive.upgraded", [
                "from_version": String(upgrade.fromVersion), "to_version": String(LogFormat.version),
                "old_records": String(upgrade.records), "live_quotes": String(upgrade.liveQuotes),
                "tombstones": String(upgrade.tombstones), "merged": String(upgrade.merged),
                "dropped_tombstones": String(upgrade.droppedTombstones), "upgrade_ms": String(upgrade.milliseconds),
                "note": "ids now hash text and speaker; quotes that differed only in metadata were merged "
                    + "(latest kept); replication checkpoints and the index snapshot were reset",
            ])
        }
        switch archive.indexSource {
        case let .snapshot(quotes, tail):
            logger.log(.info, "archive.indexes", ["source": "snapshot", "snapshot_quotes": String(quotes), "tail_quotes": String(tail)])
        case let .built(reason):
            logger.log(.info, "archive.indexes", ["source": "built", "reason": reason])
        }
        if let offset = report.truncatedAt {
            logger.log(.warning, "log.tail_truncated", ["offset": String(offset), "bytes": String(report.truncatedBytes)])
        }
        for span in report.skippedSpans {
            logger.log(.warning, "log.repaired", ["offset": String(span.offset), "bytes": String(span.bytes)])
        }
        if tokens.entries.isEmpty {
            logger.log(configuration.insecureNoAuth ? .warning : .info, "authentication.off",
                       ["reason": "no tokens configured", "tokens": tokensPath])
        } else {
            logger.log(.info, "authentication.required", ["tokens": String(tokens.entries.count)])
        }
        let threads = configuration.eventLoopThreads > 0 ? configuration.eventLoopThreads : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        loops = try (0..<threads).map { try EventLoop(index: $0) }
        admission = ConnectionAdmission(maxConnections: configuration.maxConnections,
                                        maxPerAddress: configuration.maxConnectionsPerAddress)
        queries = QueryPool(threads: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        let checkpoints = ReplicationCheckpoints(directory: configuration.dataDirectory,
                                                     logLastSequence: archive.statistics.lastSequence)
        for dropped in checkpoints.dropped {
            logger.log(.warning, "replication.checkpoint_dropped", [
                "node": HexText.sixteenDigits(dropped.node), "checkpoint": String(dropped.checkpoint.sequence),
                "saved_at_sequence": String(dropped.localSequence), "log_sequence": String(archive.statistics.lastSequence),
                "reason": "this log is shorter than when the checkpoint was saved; that peer is read again from the start",
            ])
        }
        checkpointsDropped = UInt64(checkpoints.dropped.count)
        let archive = self.archive
        let logger = self.logger
        replicators = configuration.replicateFrom.map {
            Replicator(peer: $0, token: configuration.peerTokens[$0], archive: archive, checkpoints: checkpoints, logger: logger)
        }
        try seedIfNew()
    }

    private func seedIfNew() throws {
        guard let seed = configuration.seed, archive.statistics.lastSequence == 0 else { return }
        let quotes: [Quote]
        let source: String
        switch seed {
        case .builtIn:
            (quotes, source) = (try SeedFile.builtIn(), "built-in")
        case let .file(path):
            (quotes, source) = (try SeedFile.load(path), path)
        }
        let done = DispatchSemaphore(value: 0)
        let added = Mutex(0)
        archive.add(quotes) { results in
            added.withLock { $0 = results.filter { $0.status == .added }.count }
            done.signal()
        }
        done.wait()
        logger.log(.info, "archive.seeded", ["source": source, "quotes": String(added.withLock { $0 })])
    }

    /// Binds every listener and starts serving; throws if any address cannot be bound.
    public func start() throws {
        var bound: [SocketAddress] = []
        var descriptors: [Int32] = []
        do {
            for address in configuration.listenAddresses {
                let (descriptor, actual) = try Socket.listen(on: address)
                descriptors.append(descriptor)
                bound.append(actual)
                for loop in loops { register(listener: descriptor, on: loop, qotd: false) }
                logger.log(.info, "listening", ["address": actual.description, "protocol": "quote-archive/\(Hello.currentVersion)"])
            }
            if let qotd = configuration.qotdAddress {
                let (descriptor, actual) = try Socket.listen(on: qotd)
                descriptors.append(descriptor)
                boundQOTDAddress.withLock { $0 = actual }
                for loop in loops { register(listener: descriptor, on: loop, qotd: true) }
                logger.log(.info, "listening", ["address": actual.description, "protocol": "qotd"])
            }
        } catch {
            for descriptor in descriptors { SystemCall.close(descriptor) }
            throw error
        }
        listeners.withLock { $0 = descriptors }
        boundAddresses.withLock { $0 = bound }
        for loop in loops { loop.start() }
        for replicator in replicators { replicator.start() }
    }

    private func register(listener descriptor: Int32, on loop: EventLoop, qotd: Bool) {
        let listener = Listener(descriptor: descriptor, loop: loop, server: self) { [self] client, peer in
            if qotd { serveQuoteOfTheDay(client) } else { accept(client, peer: peer, on: loop) }
        }
        loop.execute {
            do {
                try loop.register(descriptor, listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
            } catch {
                self.logger.log(.error, "listener.register_failed", ["error": String(describing: error)])
            }
        }
    }

    private func accept(_ descriptor: Int32, peer: SocketAddress, on loop: EventLoop) {
        counters.totalConnections.wrappingAdd(1, ordering: .relaxed)
        counters.openConnections.wrappingAdd(1, ordering: .relaxed)
        let connection = Connection(descriptor: descriptor, peer: peer, loop: loop, server: self)
        do {
            try loop.register(descriptor, connection, events: connection.readEvents)
        } catch {
            SystemCall.close(descriptor)
            counters.openConnections.wrappingSubtract(1, ordering: .relaxed)
            return
        }
        switch admission.admit(connection, host: peer.host, now: connection.acceptedAt) {
        case let .refuse(message):
            counters.refusedConnections.wrappingAdd(1, ordering: .relaxed)
            connection.fail(.tooManyConnections, message, requestID: 0)
            return
        case let .admit(evicting):
            for old in evicting {
                counters.evictedHandshakes.wrappingAdd(1, ordering: .relaxed)
                old.loop.execute { old.evict() }
            }
        }
        logger.log(.debug, "connection.opened", ["peer": peer.description])
    }

    func connectionClosed(_ connection: Connection) {
        admission.closed(connection)
        counters.openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    private func serveQuoteOfTheDay(_ descriptor: Int32) {
        let day = UInt32(HybridLogicalClock.systemMilliseconds() / 86_400_000)
        let message = Array(QuoteOfTheDay.message(from: archive, day: day).utf8)
        // The message fits any socket buffer, so one non-blocking send delivers it.
        SystemCall.attempt { message.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        SystemCall.close(descriptor)
    }

    /// Stops accepting, lets writes in flight finish and be answered, syncs, and stops the loops.
    public func shutdown() {
        logger.log(.info, "shutdown.started")
        for replicator in replicators { replicator.stop() }
        let descriptors = listeners.withLock { descriptors -> [Int32] in
            let taken = descriptors
            descriptors = []
            return taken
        }
        for loop in loops {
            let done = DispatchSemaphore(value: 0)
            loop.execute {
                for descriptor in descriptors { loop.unregister(descriptor) }
                done.signal()
            }
            done.wait()
        }
        for descriptor in descriptors { SystemCall.close(descriptor) }
        let written = DispatchSemaphore(value: 0)
        archive.barrier { written.signal() }
        written.wait()
        // Completions of the last writes are queued on the loops now; let them flush.
        for loop in loops {
            let done = DispatchSemaphore(value: 0)
            loop.execute {
                for case let connection as Connection in loop.allHandlers {
                    connection.closing = true
                    connection.flush()
                }
                done.signal()
            }
            done.wait()
        }
        // Closing syncs the log and saves the index snapshot, the longest step for a large
        // archive: the clients have their last answers by now.
        let started = DispatchTime.now().uptimeNanoseconds
        let snapshot = archive.close()
        let milliseconds = String((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        switch snapshot {
        case let .written(bytes, _):
            logger.log(.info, "archive.closed", ["index_snapshot": "written", "bytes": String(bytes), "ms": milliseconds])
        case let .skipped(reason):
            logger.log(.info, "archive.closed", ["index_snapshot": "skipped", "reason": reason, "ms": milliseconds])
        case let .failed(message):
            logger.log(.warning, "archive.closed", ["index_snapshot": "failed", "error": message, "ms": milliseconds])
        }
        for loop in loops { loop.stop() }
        logger.log(.info, "shutdown.finished", ["sequence": String(archive.statistics.lastSequence)])
    }

    /// Records a failed authentication from `host`; returns whether `host` is now over its limit.
    func recordAuthenticationFailure(host: String) {
        let now = EventLoop.now()
        authenticationFailures.withLock { failures in
            var entry = failures[host] ?? (0, now)
            if now - entry.windowStart > 60 { entry = (0, now) }
            entry.count += 1
            failures[host] = entry
        }
    }

    /// Whether `host` failed too often in the last minute to try again now.
    func isAuthenticationLocked(host: String) -> Bool {
        let now = EventLoop.now()
        return authenticationFailures.withLock { failures in
            guard let entry = failures[host], now - entry.windowStart <= 60 else { return false }
            return entry.count >= Server.maxAuthenticationFailuresPerMinute
        }
    }

    /// STATS entries.
    func statistics() -> [StatEntry] {
        let stats = archive.statistics
        var entries: [StatEntry] = [
            StatEntry("server.version", .text(Server.versionName)),
            StatEntry("node.id", .text(HexText.sixteenDigits(archive.nodeID))),
            StatEntry("quotes.live", .integer(UInt64(stats.liveQuotes))),
            StatEntry("quotes.deleted", .integer(UInt64(stats.deletedQuotes))),
            StatEntry("log.bytes", .integer(UInt64(stats.logBytes))),
            StatEntry("log.sequence", .integer(stats.lastSequence)),
            StatEntry("index.speakers", .integer(UInt64(stats.speakers))),
            StatEntry("index.words", .integer(UInt64(stats.words))),
            StatEntry("index.ranked", .integer(UInt64(stats.rankedQuotes))),
            StatEntry("index.unranked", .integer(UInt64(stats.unrankedQuotes))),
            StatEntry("index.rankings", .integer(UInt64(archive.rankings.count))),
            StatEntry("uptime.seconds", .integer(UInt64(EventLoop.now() - startedAt))),
            StatEntry("connections.open", .integer(UInt64(max(0, counters.openConnections.load(ordering: .relaxed))))),
            StatEntry("connections.total", .integer(counters.totalConnections.load(ordering: .relaxed))),
            StatEntry("connections.refused", .integer(counters.refusedConnections.load(ordering: .relaxed))),
            StatEntry("connections.evicted", .integer(counters.evictedHandshakes.load(ordering: .relaxed))),
            StatEntry("errors.protocol", .integer(counters.protocolErrors.load(ordering: .relaxed))),
            StatEntry("server.read_only", .integer(configuration.readOnly ? 1 : 0)),
            StatEntry("server.fsync", .text(Server.describe(configuration.durability))),
        ]
        if !replicators.isEmpty {
            entries.append(StatEntry("replication.checkpoints_dropped", .integer(checkpointsDropped)))
        }
        for replicator in replicators { entries += replicator.statistics() }
        for opcode in Opcode.requests {
            entries.append(StatEntry("ops.\(opcode.description.lowercased())", .integer(counters.count(of: opcode.rawValue))))
        }
        return entries
    }

    static func describe(_ durability: Archive.Durability) -> String {
        switch durability {
        case .always: return "always"
        case let .interval(milliseconds): return "interval \(milliseconds)ms"
        case .never: return "never"
        }
    }

}

/// Why the server cannot start, in words for its operator.
public struct ServerStartError: Error, CustomStringConvertible {
    public let description: String
}
