// swift-tools-version:6.0
// The quote archive: `quoted` (server), `quotes` (CLI), the QuoteClient library.
// No package dependencies by design: everything here ships with the toolchain.
import PackageDescription

/// Compiler settings shared by every Swift target.
let commonSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "quote-archive",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quoted", targets: ["quoted"]),
        .executable(name: "quotes", targets: ["quotes"]),
        .library(name: "QuoteClient", targets: ["QuoteClient"]),
    ],
    targets: [
        // Tiny C shims: the SSE4.2 CRC32C instruction, the SHA-256 extensions and <sys/epoll.h>.
        .target(name: "CQuoteSupport"),
        // Pure core: model, validation, codec, frames, messages, CRC32C, SHA-256, clock.
        .target(name: "QuoteCore", dependencies: ["CQuoteSupport"], swiftSettings: commonSettings),
        // The one door to libc: system calls with errno, sockets and addresses.
        .target(name: "QuotePOSIX", swiftSettings: commonSettings),
        // The durable log, recovery, indexes and queries.
        .target(name: "QuoteStore", dependencies: ["QuoteCore", "QuotePOSIX", "CQuoteSupport"], swiftSettings: commonSettings),
        // Small argument parser shared by both executables.
        .target(name: "CommandLineKit", swiftSettings: commonSettings),
        // Sockets, the event loop, connections and request handling.
        .target(name: "QuoteServer", dependencies: ["QuoteCore", "QuoteStore", "QuotePOSIX", "QuoteClient", "CQuoteSupport"], swiftSettings: commonSettings),
        .executableTarget(name: "quoted", dependencies: ["QuoteServer", "CommandLineKit"], swiftSettings: commonSettings),
        .target(name: "QuoteClient", dependencies: ["QuoteCore", "QuotePOSIX"], path: "Clients/Swift/QuoteClient", swiftSettings: commonSettings),
        // What only the CLI needs: table, quote and progress output, JSON Lines and fortune
        // file parsing, the import report. Kept out of QuoteClient so the server, which
        // links QuoteClient for replication, carries none of it.
        .target(name: "QuoteCLISupport", dependencies: ["QuoteCore"], path: "Clients/Swift/QuoteCLISupport", swiftSettings: commonSettings),
        .executableTarget(name: "quotes", dependencies: ["QuoteClient", "QuoteCLISupport", "CommandLineKit"], path: "Clients/Swift/quotes", swiftSettings: commonSettings),
        // Load generator against a running quoted: connections × pipelining depth.
        .executableTarget(name: "quote-load", dependencies: ["QuoteClient", "QuotePOSIX", "CommandLineKit"], swiftSettings: commonSettings),
        // libFuzzer harness for the decoders and log recovery; replays files without -DFUZZING.
        .executableTarget(name: "quote-fuzz", dependencies: ["QuoteCore", "QuoteStore"],
                          swiftSettings: commonSettings + [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(name: "quote-bench", dependencies: ["QuoteStore", "QuoteClient", "CommandLineKit"], swiftSettings: commonSettings),

        .testTarget(name: "QuoteCoreTests", dependencies: ["QuoteCore"], swiftSettings: commonSettings),
        .testTarget(name: "QuotePOSIXTests", dependencies: ["QuotePOSIX"], swiftSettings: commonSettings),
        .testTarget(name: "QuoteStoreTests", dependencies: ["QuoteStore"], swiftSettings: commonSettings),
        .testTarget(name: "CommandLineKitTests", dependencies: ["CommandLineKit"], swiftSettings: commonSettings),
        .testTarget(name: "QuoteCLISupportTests", dependencies: ["QuoteCLISupport"], swiftSettings: commonSettings),
        .testTarget(name: "QuoteClientTests", dependencies: ["QuoteClient"], swiftSettings: commonSettings),
        .testTarget(name: "QuoteServerTests", dependencies: ["QuoteServer", "QuoteClient", "quoted", "quotes"], swiftSettings: commonSettings),
    ]
)
