import CommandLineKit
import QuoteCore
import Foundation
import QuotePOSIX
import QuoteServer
import QuoteStore

/// The declaration of `quoted`'s flags and their translation into a `ServerConfiguration`.
enum QuotedCommand {
    static let spec = CommandSpec(
        name: "quoted",
        abstract: "Serve a quote archive over TCP.",
        discussion: """
            Stores attributed quotes in an append-only log in the data directory and answers \
            the quote-archive protocol (Protocol/PROTOCOL.md). A new data directory is seeded \
            with the sample quotes built in (those of scripts/seed-quotes.jsonl) unless \
            --no-seed is given, or it replicates from a peer (--replicate-from; an explicit \
            --seed FILE still seeds it). SIGINT or SIGTERM stops \
            accepting, finishes writes in flight, syncs and exits 0.

            Authentication: with tokens in DIR/tokens (`quoted token add NAME --role write`), \
            clients must prove they hold one (HMAC; no secret crosses the wire). Without tokens \
            the server only listens on loopback unless --insecure-no-auth is given. \
            See `quoted token --help`.
            """,
        options: [
            .repeatable("listen", valueName: "host:port", help: "Address to listen on; repeatable; [::1]:7878 for IPv6.",
                        defaultValue: "127.0.0.1:7878"),
            .single("data", valueName: "dir", help: "The data directory.", defaultValue: "./quotes-data"),
            .single("fsync", valueName: "mode", help: "When writes reach the disk: always (before acknowledging), interval, never.",
                    defaultValue: "always", allowedValues: ["always", "interval", "never"]),
            .single("fsync-interval", valueName: "ms", help: "With --fsync interval: milliseconds between syncs.", defaultValue: "100"),
            .single("max-connections", valueName: "n",
                    help: "Connections beyond this are refused (first closing the oldest one still in its handshake, if any).",
                    defaultValue: "1024"),
            .single("max-connections-per-address", valueName: "n",
                    help: "The same cap for the connections from one client address (0: none).", defaultValue: "256"),
            .single("handshake-timeout", valueName: "seconds",
                    help: "Close a connection that has not finished HELLO (and AUTH, with tokens) this long after it was accepted.",
                    defaultValue: "10"),
            .single("search-budget", valueName: "steps",
                    help: "Work one SEARCH page may do before it ends short, with a cursor to go on from (PROTOCOL.md, SEARCH).",
                    defaultValue: String(Archive.defaultSearchWorkBudget)),
            .single("max-frame-bytes", valueName: "n", help: "Largest frame accepted.", defaultValue: String(Frame.defaultMaxFrameBytes)),
            .single("idle-timeout", valueName: "seconds", help: "Close connections silent this long (0: never).", defaultValue: "300"),
            .single("log-level", valueName: "level", help: "debug, info, warning or error.", defaultValue: "info",
                    allowedValues: ["debug", "info", "warning", "error"]),
            .single("qotd", valueName: "host:port", help: "Also serve RFC 865 Quote of the Day (TCP) here."),
            .flag("version", help: "Show the version, the protocol version and the data format version."),
            .single("seed", valueName: "file", help: "JSON Lines to seed a new data directory with (default: the built-in sample quotes)."),
            .flag("no-seed", help: "Start a new data directory empty."),
            .flag("repair", help: "Open a log damaged in the middle, keeping every valid record."),
            .flag("read-only", help: "Refuse ADD and DELETE from clients (replicated ops still apply)."),
            .repeatable("replicate-from", valueName: "host:port[=token-file]",
                        help: "Pull ops continuously from this peer, presenting the token in token-file if it asks; repeatable."),
            .single("tokens", valueName: "file", help: "The token file (mode 0600). (default: DIR/tokens)"),
            .flag("insecure-no-auth", help: "Allow non-loopback addresses without any token configured."),
            .single("threads", valueName: "n", help: "Event-loop threads (default: one per core)."),
        ])

    static func configuration(from command: ParsedCommand) throws(UsageError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.listenAddresses = try command.values("listen", expected: "HOST:PORT") { SocketAddress(parsing: $0) }
        configuration.dataDirectory = command.value("data") ?? configuration.dataDirectory
        switch command.value("fsync") {
        case "interval":
            let milliseconds = try command.int("fsync-interval", in: 1...60_000) ?? 100
            configuration.durability = .interval(milliseconds: milliseconds)
        case "never": configuration.durability = .never
        default: configuration.durability = .always
        }
        configuration.maxConnections = try command.int("max-connections", in: 1...1_000_000) ?? 1024
        configuration.maxFrameBytes = try command.int("max-frame-bytes", in: 1024...(256 << 20)) ?? Frame.defaultMaxFrameBytes
        configuration.idleTimeoutSeconds = try command.int("idle-timeout", in: 0...86_400 * 30) ?? 300
        configuration.maxConnectionsPerAddress = try command.int("max-connections-per-address", in: 0...1_000_000) ?? 256
        configuration.handshakeTimeoutSeconds = try command.int("handshake-timeout", in: 1...3_600) ?? 10
        configuration.searchWorkBudget = try command.int("search-budget", in: 1...1_000_000_000) ?? Archive.defaultSearchWorkBudget
        configuration.logLevel = Logger.Level(name: command.value("log-level") ?? "info") ?? .info
        configuration.qotdAddress = try command.value("qotd", expected: "HOST:PORT") { SocketAddress(parsing: $0) }
        configuration.repair = command.flag("repair")
        configuration.readOnly = command.flag("read-only")
        for text in command.values("replicate-from") {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let address = SocketAddress(parsing: parts[0]) else {
                throw command.invalidValue(text, for: "replicate-from", expected: "HOST:PORT or HOST:PORT=TOKEN-FILE")
            }
            configuration.replicateFrom.append(address)
            if parts.count == 2 {
                guard let text = try? String(contentsOfFile: parts[1], encoding: .utf8), let token = AccessToken(parsing: text) else {
                    throw command.usageError("Cannot read a token (NAME:HEX) from '\(parts[1])'")
                }
                configuration.peerTokens[address] = token
            }
        }
        configuration.tokensPath = command.value("tokens")
        configuration.insecureNoAuth = command.flag("insecure-no-auth")
        configuration.eventLoopThreads = try command.int("threads", in: 1...64) ?? 0
        // A replica gets its quotes from its peers: seeding it too would make it hold the
        // sample quotes under its own puts, newer than its peers' (equal content, but not
        // equal ops). An explicit --seed still seeds it.
        if !command.flag("no-seed") {
            if let seed = command.value("seed") {
                configuration.seed = .file(seed)
            } else if configuration.replicateFrom.isEmpty {
                configuration.seed = .builtIn
            }
        }
        return configuration
    }
}
