import CommandLineKit
import Foundation
import QuoteCLISupport
import QuoteClient
import QuoteCore

/// `quotes import FILE|-`: adds every quote of a JSON Lines or fortune file, in pipelined
/// batches, and reports what became of each.
///
/// A quote's id is its words and speaker, so re-running an import adds nothing twice: the
/// second run reports every quote as already present, and a quote stored with other
/// metadata (date, source, lang, tags) as differing, left as stored unless `--replace`.
enum ImportCommand: Subcommand {
    /// Quotes per ADD request.
    static let batchSize = 1_000
    /// Batches sent before waiting for answers: several in flight hide the round trips,
    /// few enough that the progress bar still moves on a slow server.
    static let batchesPerRound = 5

    static let spec = CommandSpec(
        name: "import",
        abstract: "Add every quote of a JSON Lines or fortune file.",
        discussion: """
            JSON Lines: one object per line with text, speaker and optionally date, source, \
            lang and tags (what 'quotes export' writes). Fortune: entries separated by lines \
            holding '%', each ending with an attribution such as '-- Name, Source, 1984'; \
            entries without one are skipped and counted.

            A quote is its text and speaker: one already stored with other metadata (date, \
            source, lang or tags) differs and is left as stored, unless --replace is given, \
            which stores the file's metadata instead.

            Prints 'stored N: A added, U updated, P already present; D differ; R rejected', \
            then each quote that differs or was rejected with its line (or fortune entry) and \
            the reason. Exits with 4 if any quote was rejected. Importing the same file again \
            adds nothing twice.
            """,
        options: [
            .single("format", short: "f", valueName: "format", help: "The file's format.",
                    defaultValue: "jsonl", allowedValues: ["jsonl", "fortune"]),
            .repeatable("tag", valueName: "tag", help: "Add this tag to every quote; repeat for several."),
            .flag("replace", help: "Update quotes stored with other metadata to the file's date, source, lang and tags."),
            .flag("dry-run", help: "Parse and check the quotes, print them as JSON Lines, and add nothing."),
        ],
        arguments: [.required("file", help: "The file to read; - reads standard input.")])

    /// A quote read from the file and where it was.
    struct Item {
        var line: Int
        var entry: Int?
        var quote: Quote
    }

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        let path = parsed.argument("file") ?? "-"
        let text = try read(path)
        var (items, report) = parse(text, format: parsed.value("format") ?? "jsonl")
        let extraTags = parsed.values("tag")
        if !extraTags.isEmpty {
            for index in items.indices { items[index].quote.tags += extraTags }
        }
        if parsed.flag("dry-run") { return dryRun(items, report: report) }

        let session = try invocation.connect()
        let maxPayloadBytes = Int(session.client.server.maxFrameBytes) - AddBatches.frameOverheadBytes
        let batches = AddBatches.ranges(for: items.map(\.quote), maxQuotes: batchSize, maxPayloadBytes: maxPayloadBytes)
        let progress = Terminal.standardErrorIsTerminal
        var next = 0
        while next < batches.count {
            let round = batches[next..<min(batches.count, next + batchesPerRound)]
            do {
                try send(round, of: items, replace: parsed.flag("replace"), through: session, into: &report)
            } catch {
                if progress { Terminal.error("\r\u{1B}[K") }
                printReport(report, json: invocation.configuration.json)
                throw error
            }
            next += round.count
            if progress { Terminal.error("\r" + ProgressBar.render(completed: round.last!.upperBound, total: items.count)) }
        }
        if progress && !items.isEmpty { Terminal.error("\r\u{1B}[K") }
        printReport(report, json: invocation.configuration.json)
        return report.rejections.isEmpty ? .success : .rejectedInput
    }

    /// Sends the batches of one round pipelined, then records every answer.
    static func send(
        _ batches: ArraySlice<Range<Int>>, of items: [Item], replace: Bool, through session: ServerSession,
        into report: inout ImportReport
    ) throws(Failure) {
        let requests = batches.map { Request.add(items[$0].map(\.quote), replace: replace) }
        let responses = try session.run { client throws(ClientError) in try client.send(requests) }
        for (range, response) in zip(batches, responses) {
            switch response {
            case let .added(results):
                for (item, result) in zip(items[range], results) { report.record(result, line: item.line, entry: item.entry) }
            case let .error(code, message):
                throw Failure(.server(code: code, message: message), server: session.address)
            default:
                throw Failure(.protocolViolation("expected ADD_OK, got \(response.opcode)"), server: session.address)
            }
        }
    }

    /// The file's text, or standard input's for `-`; an unreadable file is rejected input.
    static func read(_ path: String) throws(Failure) -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        do {
            return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw .failed("cannot read \(path): \(reason)", .rejectedInput)
        }
    }

    /// The quotes of the file, and a report that already counts what could not be parsed.
    static func parse(_ text: String, format: String) -> (items: [Item], report: ImportReport) {
        if format == "fortune" {
            let file = FortuneFile(parsing: text)
            let items = file.entries.map { Item(line: $0.line, entry: $0.number, quote: $0.quote) }
            return (items, ImportReport(skippedWithoutAttribution: file.unattributedCount))
        }
        let file = JSONLinesFile(parsing: text)
        var report = ImportReport()
        for failure in file.failures { report.reject(line: failure.line, reason: failure.error.description) }
        return (file.entries.map { Item(line: $0.line, entry: nil, quote: $0.quote) }, report)
    }

    /// Checks each quote as the server would and prints the valid ones canonical, as JSON
    /// Lines; the tally goes to standard error so the output can be piped to another import.
    static func dryRun(_ items: [Item], report: ImportReport) -> ExitStatus {
        var report = report
        var valid = 0
        for item in items {
            do {
                Terminal.output(try item.quote.canonicalized().jsonLine)
                valid += 1
            } catch {
                report.reject(line: item.line, entry: item.entry, reason: "\(error) [\(error.code.name)]")
            }
        }
        var summary = "dry run: \(valid) valid, \(report.rejections.count) rejected"
        if let skipped = report.skippedWithoutAttribution { summary += "; \(skipped) skipped without attribution" }
        Terminal.error(([summary] + report.lines.dropFirst()).joined(separator: "\n") + "\n")
        return report.rejections.isEmpty ? .success : .rejectedInput
    }

    /// The summary and rejections as text, or as JSON objects: the summary, then one per rejection.
    static func printReport(_ report: ImportReport, json: Bool) {
        guard json else {
            for line in report.lines { Terminal.output(line) }
            return
        }
        var summary: [(String, Any)] = [
            ("stored", report.stored), ("added", report.added), ("updated", report.updated),
            ("already_present", report.alreadyPresent), ("differs", report.differences.count),
            ("rejected", report.rejections.count),
        ]
        if let skipped = report.skippedWithoutAttribution { summary.append(("skipped_without_attribution", skipped)) }
        Terminal.output(JSONText.object(summary))
        for (status, notes) in [("differs", report.differences), ("rejected", report.rejections)] {
            for note in notes {
                var fields: [(String, Any)] = [("status", status), ("line", note.line)]
                if let entry = note.entry { fields.append(("entry", entry)) }
                fields.append(("reason", note.reason))
                Terminal.output(JSONText.object(fields))
            }
        }
    }
}
