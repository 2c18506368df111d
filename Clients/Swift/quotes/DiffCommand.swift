import CommandLineKit
import Foundation
import QuoteCLISupport
import QuoteClient
import QuoteCore
import QuotePOSIX

/// `quotes diff A B`: the quotes one archive holds and the other lacks or holds with other
/// metadata, found with DIGEST_RANGE (`ArchiveDiff`) rather than by reading either archive.
enum DiffCommand: Subcommand {
    /// Quotes fetched per pipelined batch of GETs, to show what differs.
    static let fetchBatch = 256

    static let spec = CommandSpec(
        name: "diff",
        abstract: "Show the quotes two servers hold differently.",
        discussion: """
            Compares the live quotes and their metadata (what 'quotes digest' digests) of A \
            and B by exchanging digests of id ranges and descending only into those that \
            differ, so two large archives that differ in a few quotes are compared in a few \
            round trips. Prints one line per difference, in id order: 'only in A', 'only \
            in B', or 'differs' (the same text and speaker, other date, source, lang or \
            tags), with the quote; then a summary on standard error. With --json, one \
            object per difference: status (only_in_a, only_in_b, differs), id, and the \
            quote as each side holds it (a, b; null where it has none).

            Exits with 0 when the archives hold the same quotes, 1 when they differ, 3 when \
            a server cannot be reached or does not know DIGEST_RANGE. The global --server \
            option is not used; the global token is used for both, unless --a-token-file or \
            --b-token-file says otherwise.
            """,
        options: [
            .single("a-token-file", valueName: "file", help: "A file holding the token for A, NAME:HEX. (default: the global token)"),
            .single("b-token-file", valueName: "file", help: "A file holding the token for B, NAME:HEX. (default: the global token)"),
        ],
        arguments: [
            .required("a", help: "The first server, HOST:PORT (a HOST alone means port \(Configuration.defaultPort))."),
            .required("b", help: "The second server, HOST:PORT."),
        ])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        let (firstAddress, secondAddress) = (try address(parsed, "a"), try address(parsed, "b"))
        let timeout = invocation.configuration.timeoutSeconds
        let token = invocation.configuration.token
        let first = try ReplicateCommand.connect(firstAddress, timeoutSeconds: timeout,
                                                 token: try ReplicateCommand.token(parsed, "a-token-file") ?? token)
        let second = try ReplicateCommand.connect(secondAddress, timeoutSeconds: timeout,
                                                  token: try ReplicateCommand.token(parsed, "b-token-file") ?? token)
        let started = ContinuousClock.now
        let diff: ArchiveDiff
        do {
            diff = try ArchiveDiff.compare(first, second)
        } catch {
            let (name, address) = error.side == .first ? ("A", firstAddress) : ("B", secondAddress)
            if case let .server(code, _) = error.error, code == .unknownOpcode {
                throw .failed("\(name), \(address), does not know DIGEST_RANGE: upgrade its quoted to compare archives",
                              .serverOrConnection)
            }
            throw Failure(error.error, server: address)
        }
        let elapsed = ContinuousClock.now - started

        var start = 0
        while start < diff.differences.count {
            let batch = Array(diff.differences[start..<min(diff.differences.count, start + fetchBatch)])
            start += batch.count
            let mine = try fetch(batch.filter { $0.kind != .onlyInSecond }.map(\.id), from: first, at: firstAddress)
            let theirs = try fetch(batch.filter { $0.kind != .onlyInFirst }.map(\.id), from: second, at: secondAddress)
            for difference in batch {
                print(difference, mine[difference.id], theirs[difference.id], json: invocation.configuration.json)
            }
        }
        Terminal.error(summary(diff, firstAddress, secondAddress, elapsed: elapsed) + "\n")
        return diff.isEqual ? .success : .different
    }

    static func address(_ parsed: ParsedCommand, _ argument: String) throws(Failure) -> SocketAddress {
        let text = parsed.argument(argument) ?? ""
        guard let address = Configuration.address(text) else {
            throw .usage(parsed.usageError("'\(text)' is not a server address: give HOST:PORT, HOST, or [IPV6]:PORT"))
        }
        return address
    }

    /// The quotes `ids` name, by id, fetched with pipelined GETs; one deleted meanwhile is left out.
    static func fetch(_ ids: [QuoteID], from client: ArchiveClient, at address: SocketAddress) throws(Failure) -> [QuoteID: ArchivedQuote] {
        guard !ids.isEmpty else { return [:] }
        let responses: [Response]
        do {
            responses = try client.send(ids.map { Request.get($0.description) })
        } catch {
            throw Failure(error, server: address)
        }
        var quotes: [QuoteID: ArchivedQuote] = [:]
        for response in responses {
            if case let .quote(quote) = response { quotes[quote.id] = quote }
        }
        return quotes
    }

    static func print(_ difference: ArchiveDiff.Difference, _ mine: ArchivedQuote?, _ theirs: ArchivedQuote?, json: Bool) {
        if json {
            Terminal.output(JSONText.object([
                ("status", difference.kind.rawValue), ("id", difference.id.description),
                ("a", mine?.jsonObject ?? NSNull()), ("b", theirs?.jsonObject ?? NSNull()),
            ]))
            return
        }
        let label: String
        switch difference.kind {
        case .onlyInFirst: label = "only in A"
        case .onlyInSecond: label = "only in B"
        case .differs: label = "differs  "
        }
        let shown = mine ?? theirs
        let words = shown.map { "\u{201C}\(shorten($0.quote.text))\u{201D} \u{2014} \($0.quote.speaker)" } ?? "(deleted meanwhile)"
        Terminal.output("\(label)  \(difference.id.short(12))  \(words)")
        if difference.kind == .differs, let mine, let theirs {
            Terminal.output("             A: \(metadata(mine))")
            Terminal.output("             B: \(metadata(theirs))")
        }
    }

    /// The text on one line, cut at a word to about 60 characters with an ellipsis.
    static func shorten(_ text: String, to limit: Int = 60) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > limit else { return flat }
        let cut = flat.prefix(limit)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atWord + "\u{2026}"
    }

    /// Date, source, lang and tags, the fields two versions of one quote can differ in.
    static func metadata(_ archived: ArchivedQuote) -> String {
        let quote = archived.quote
        let tags: String = quote.tags.isEmpty ? "no tags" : "tags " + quote.tags.joined(separator: ", ")
        let date: String = "date " + (quote.date?.description ?? "none")
        let source: String = "source " + (quote.source ?? "none")
        let lang: String = "lang " + (quote.lang ?? "none")
        return [date, source, lang, tags].joined(separator: "; ")
    }

    static func summary(_ diff: ArchiveDiff, _ first: SocketAddress, _ second: SocketAddress, elapsed: Duration) -> String {
        let grouped = SearchCommand.grouped
        let counts = "A \(first) (\(grouped(Int(diff.liveCounts.first))) quotes), B \(second) (\(grouped(Int(diff.liveCounts.second))) quotes)"
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        let trips = diff.roundTrips == 1 ? "1 round trip" : "\(diff.roundTrips) round trips"
        let cost = "\(trips), \(grouped(diff.requests)) ranges, "
            + String(format: "%.1f KB, %.0f ms", Double(diff.bytesSent + diff.bytesReceived) / 1_000, milliseconds)
        guard !diff.isEqual else { return "The same quotes: \(counts); \(cost)." }
        let kinds: [(ArchiveDiff.Kind, String)] = [(.onlyInFirst, "only in A"), (.onlyInSecond, "only in B"), (.differs, "differ")]
        let parts = kinds.map { kind, name in "\(diff.differences.filter { $0.kind == kind }.count) \(name)" }
        let total = diff.differences.count
        return "\(grouped(total)) difference\(total == 1 ? "" : "s") (\(parts.joined(separator: ", "))): \(counts); \(cost)."
    }
}
