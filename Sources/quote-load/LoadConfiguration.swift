import CommandLineKit
import QuoteCore
import QuotePOSIX

/// Everything `quote-load` can be told, parsed once from the command line.
struct LoadConfiguration: Sendable {
    /// The server to load.
    var server = SocketAddress(host: "127.0.0.1", port: 7878)
    /// The request every connection sends, over and over.
    var operation = LoadOperation.get
    /// Connections opened to the server, spread evenly over the threads.
    var connections = 16
    /// Requests each connection keeps in flight (pipelining depth).
    var depth = 1
    /// How long to send requests for, after connecting and seeding.
    var durationSeconds = 5.0
    /// Stop after this many requests have been sent, even before the duration is up.
    var requestLimit: Int?
    /// OS threads driving the connections; never more than `connections`.
    var threads = 2
    /// Bytes of quote text for ADD (and for seeding), and of PING data.
    var valueBytes = 250
    /// Quotes added before GET or SEARCH so there is something to find; 0 uses the quotes
    /// already in the archive.
    var seedQuotes = 10_000
    /// The page size of each SEARCH.
    var searchLimit = 20
    /// Decode every response in full rather than a sample of the successes.
    var decodeAll = false
    /// Print one JSON object instead of the aligned line.
    var json = false

    /// The most connections; past this a run measures the kernel's poll, not the server.
    static let maxConnections = 10_000
    /// The deepest pipeline; request ids keep the slot in their low 11 bits.
    static let maxDepth = 1_024
    /// Quotes the seeding or the archive scan keeps to pick GET ids and SEARCH speakers from.
    static let maxKnownQuotes = 100_000

    static let spec = CommandSpec(
        name: "quote-load",
        abstract: "Load a running quoted with pipelined requests and report throughput and latency.",
        discussion: """
            Opens --connections connections, spread over --threads threads that each drive \
            their sockets with poll(); every connection keeps --depth requests in flight \
            until --duration is up (or --requests have been sent). Latency is measured from \
            the write of a request to the read of its response on the monotonic clock. \
            Every response's frame and opcode are checked; every ERROR and ADD_OK and one \
            other success in 64 are decoded in full (all with --decode-all).

            get and search first add --seed-quotes quotes spread over 100 speakers (0: use \
            the quotes already stored); get asks for random known ids, search for a random \
            speaker's first page of --search-limit. words searches the archive's own quotes \
            (it never seeds): two words of a random stored quote's text, first page. add \
            sends one new quote per request, so \
            each is a real durable write. ping sends --value-bytes bytes to be echoed.

            Exit status: 0 every request answered, 1 some requests failed or a connection \
            was lost, 2 usage error, 3 cannot connect or prepare.
            """,
        options: [
            .single("server", short: "s", valueName: "host:port", help: "The quoted to load.",
                    defaultValue: "127.0.0.1:7878"),
            .single("op", valueName: "op", help: "The request to send.", defaultValue: "get",
                    allowedValues: LoadOperation.allCases.map(\.rawValue)),
            .single("connections", short: "c", valueName: "n", help: "Connections to open.", defaultValue: "16"),
            .single("depth", short: "d", valueName: "n", help: "Requests in flight per connection.", defaultValue: "1"),
            .single("duration", valueName: "seconds", help: "How long to send requests.", defaultValue: "5"),
            .single("requests", short: "n", valueName: "n", help: "Stop after sending this many requests."),
            .single("threads", short: "t", valueName: "n", help: "Threads driving the connections.", defaultValue: "2"),
            .single("value-bytes", valueName: "n", help: "Quote text bytes for add and seeding; data bytes for ping.",
                    defaultValue: "250"),
            .single("seed-quotes", valueName: "n",
                    help: "Quotes to add before get or search (0: use the archive's own).", defaultValue: "10000"),
            .single("search-limit", valueName: "n", help: "Page size of each search.", defaultValue: "20"),
            .flag("decode-all", help: "Decode every response in full, not 1 success in 64 (costs client CPU)."),
            .flag("json", help: "Print one JSON object instead of the aligned line."),
        ])

    /// Parses the command line, or prints help or a usage error and exits.
    static func parse(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> LoadConfiguration {
        let command = spec.parseOrExit(arguments)
        do throws(UsageError) {
            return try LoadConfiguration(command)
        } catch {
            error.printAndExit()
        }
    }

    init() {}

    init(_ command: ParsedCommand) throws(UsageError) {
        server = try command.value("server", expected: "HOST:PORT") { SocketAddress(parsing: $0) } ?? server
        operation = try command.value("op", expected: "an operation") { LoadOperation(rawValue: $0) } ?? operation
        connections = try command.int("connections", in: 1...LoadConfiguration.maxConnections) ?? connections
        depth = try command.int("depth", in: 1...LoadConfiguration.maxDepth) ?? depth
        durationSeconds = try command.value("duration", expected: "seconds from 0.1 to 3600") { text in
            Double(text).flatMap { (0.1...3_600).contains($0) ? $0 : nil }
        } ?? durationSeconds
        requestLimit = try command.int("requests", in: 1...Int(Int32.max))
        threads = min(try command.int("threads", in: 1...64) ?? threads, connections)
        valueBytes = try command.int("value-bytes", in: 16...60_000) ?? valueBytes
        seedQuotes = try command.int("seed-quotes", in: 0...1_000_000) ?? seedQuotes
        searchLimit = try command.int("search-limit", in: 1...Int(Request.maxSearchLimit)) ?? searchLimit
        decodeAll = command.flag("decode-all")
        json = command.flag("json")
    }
}
