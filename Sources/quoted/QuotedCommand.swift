import CommandLineKit
import Foundation
import QuoteCore
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
            with scripts/seed-quotes.jsonl unless --no-seed is given. SIGINT or SIGTERM stops \
            accepting, finishes writes in flight, syncs and exits 0.
            """,
        options: [
            .repeatable("listen", valueName: "host:port", help: "Address to listen on; repeatable; [::1]:7878 for IPv6.",
                        defaultValue: "127.0.0.1:7878"),
            .single("data", valueName: "dir", help: "The data directory.", defaultValue: "./quotes-data"),
            .single("fsync", valueName: "mode", help: "When writes reach the disk: always (before acknowledging), interval, never.",
                    defaultValue: "always", allowedValues: ["always", "interval", "never"]),
            .single("fsync-interval", valueName: "ms", help: "With --fsync interval: milliseconds between syncs.", defaultValue: "100"),
            .single("max-connections", valueName: "n", help: "Connections beyond this are refused.", defaultValue: "1024"),
            .single("max-frame-bytes", valueName: "n", help: "Largest frame accepted.", defaultValue: String(Frame.defaultMaxFrameBytes)),
            .single("idle-timeout", valueName: "seconds", help: "Close connections silent this long (0: never).", defaultValue: "300"),
            .single("log-level", valueName: "level", help: "debug, info, warning or error.", defaultValue: "info",
                    allowedValues: ["debug", "info", "warning", "error"]),
            .single("qotd", valueName: "host:port", help: "Also serve RFC 865 Quote of the Day (TCP) here."),
            .single("seed", valueName: "file", help: "JSON Lines to seed a new data directory with (default: scripts/seed-quotes.jsonl)."),
            .flag("no-seed", help: "Start a new data directory empty."),
            .flag("repair", help: "Open a log damaged in the middle, keeping every valid record."),
            .flag("read-only", help: "Refuse ADD and DELETE from clients (replicated ops still apply)."),
            .repeatable("replicate-from", valueName: "host:port", help: "Pull ops continuously from this peer; repeatable."),
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
        configuration.logLevel = Logger.Level(name: command.value("log-level") ?? "info") ?? .info
        configuration.qotdAddress = try command.value("qotd", expected: "HOST:PORT") { SocketAddress(parsing: $0) }
        configuration.repair = command.flag("repair")
        configuration.readOnly = command.flag("read-only")
        configuration.replicateFrom = try command.values("replicate-from", expected: "HOST:PORT") { SocketAddress(parsing: $0) }
        configuration.eventLoopThreads = try command.int("threads", in: 1...64) ?? 0
        if !command.flag("no-seed") {
            if let seed = command.value("seed") {
                configuration.seedFile = seed
            } else {
                configuration.seedFile = defaultSeedFile()
            }
        }
        return configuration
    }

    /// scripts/seed-quotes.jsonl under the current directory or any directory above the
    /// executable (so `swift run quoted` and `.build/release/quoted` both find it).
    static func defaultSeedFile() -> String? {
        let relative = "scripts/seed-quotes.jsonl"
        if FileManager.default.fileExists(atPath: relative) { return relative }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
