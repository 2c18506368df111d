import CommandLineKit
import Foundation

/// Everything `quote-bench` can be told, parsed once from the command line.
struct BenchConfiguration {
    /// Quotes appended with durability `.never`, then reopened and searched.
    var quotes = 1_000_000
    /// Quotes appended with durability `.always` (a fsync per group commit is slow).
    var alwaysQuotes = 100_000
    /// Where the archives go; nil means a temporary directory removed at the end.
    var directory: String?
    /// Skip the `.always` append measurement.
    var skipAlways = false
    /// Reuse the archive a previous run left in `directory` instead of appending (for profiling).
    var reuse = false
    /// Quotes per `add` call: one group commit each.
    var batchSize = 1_000
    /// Speaker and month searches timed; two-word searches are a tenth as many.
    var searches = 20_000
    /// Print only the table's rows, tab-separated: how a full run has a fresh process reopen.
    var rowsOnly = false
    /// The seed of every random choice, so two runs build the same archive.
    var seed: UInt64 = 0x5EED_0F_0075

    static let spec = CommandSpec(
        name: "quote-bench",
        abstract: "Measure the quote store: append rates, reopen time, memory and search latency.",
        discussion: """
            Generates synthetic quotes (about 250 bytes each, deterministic), appends them in \
            batches of 1,000 through Archive.add, reopens the archive and times searches. \
            Build with -c release; a debug build is an order of magnitude slower.
            """,
        options: [
            .single("quotes", valueName: "n", help: "Quotes to append with durability never.", defaultValue: "1000000"),
            .single("always-quotes", valueName: "n", help: "Quotes to append with durability always.", defaultValue: "100000"),
            .single("dir", valueName: "path", help: "Directory for the archives (default: a temporary one, removed after)."),
            .single("searches", valueName: "n", help: "Speaker and month searches timed; a tenth as many two-word ones.",
                    defaultValue: "20000"),
            .flag("skip-always", help: "Skip the durability-always append measurement."),
            .flag("reuse", help: "With --dir: reopen the archive a previous run left there instead of appending."),
            .flag("rows-only", help: "Print only the table's rows, tab-separated (a full run reopens in such a child)."),
        ])

    static func parse() -> BenchConfiguration {
        let command = spec.parseOrExit()
        var configuration = BenchConfiguration()
        do throws(UsageError) {
            configuration.quotes = try command.int("quotes", in: 1...100_000_000) ?? configuration.quotes
            configuration.alwaysQuotes = try command.int("always-quotes", in: 1...100_000_000) ?? configuration.alwaysQuotes
            configuration.searches = try command.int("searches", in: 1...10_000_000) ?? configuration.searches
        } catch {
            error.printAndExit()
        }
        configuration.directory = command.value("dir")
        configuration.skipAlways = command.flag("skip-always")
        configuration.reuse = command.flag("reuse") && configuration.directory != nil
        configuration.rowsOnly = command.flag("rows-only")
        return configuration
    }
}
