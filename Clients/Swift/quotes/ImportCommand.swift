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
    /// Batches in flight: enough that the server always has the next one while it answers
    /// one, and that reading the file's next batch overlaps its work.
    static let window = 8

    static let spec = CommandSpec(
        name: "import",
        abstract: "Add every quote of a JSON Lines or fortune file.",
        discussion: """
            JSON Lines: one object per line with text, speaker and optionally date, source, \
            lang and tags (what 'quotes export' writes); a file in which no line is one is \
            refused at once, with a hint. Fortune: entries separated by lines holding '%', \
            each ending with an attribution such as '-- Name, Source, 1984'; entries without \
            one are skipped and counted. With --format fortune, FILE may be a directory: \
            every file below it is imported (not the .dat indexes, links or hidden files).

            A quote is its text and speaker: one already stored with other metadata (date, \
            source, lang or tags) differs and is left as stored, unless --replace is given, \
            which stores the file's metadata instead.

            Prints 'stored N: A added, U updated, P already present; D differ; R rejected', \
            then each quote that differs or was rejected with its line (or fortune entry) and \
            the reason: the first 20 (--json lists every one). Exits with 4 if any quote was rejected. Importing the same file again \
            adds nothing twice.
            """,
        options: [
            .single("format", short: "f", valueName: "format", help: "The file's format.",
                    defaultValue: "jsonl", allowedValues: ["jsonl", "fortune"]),
            .repeatable("tag", valueName: "tag", help: "Add this tag to every quote; repeat for several."),
            .flag("replace", help: "Update quotes stored with other metadata to the file's date, source, lang and tags."),
            .flag("dry-run", help: "Parse and check the quotes, print them as JSON Lines, and add nothing."),
        ],
        arguments: [.required("file", help: "The file to read (with --format fortune, or a directory); - reads standard input.")])

    /// A quote read from the file and where it was.
    struct Item {
        var line: Int
        var entry: Int?
        /// The file below an imported directory it came from.
        var file: String?
        var quote: Quote
    }

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        let path = parsed.argument("file") ?? "-"
        var (items, report) = try load(path, format: parsed.value("format") ?? "jsonl")
        let extraTags = parsed.values("tag")
        if !extraTags.isEmpty {
            for index in items.indices { items[index].quote.tags += extraTags }
        }
        if parsed.flag("dry-run") { return dryRun(items, report: report) }

        let session = try invocation.connect()
        let maxPayloadBytes = Int(session.client.server.maxFrameBytes) - AddBatches.frameOverheadBytes
        let batches = AddBatches.ranges(for: items.map(\.quote), maxQuotes: batchSize, maxPayloadBytes: maxPayloadBytes)
        let progress = Terminal.standardErrorIsTerminal
        let started = ContinuousClock.now
        var lastDrawn = started
        let replace = parsed.flag("replace")
        do {
            try send(batches, of: items, replace: replace, through: session, into: &report) { range in
                // The bar is redrawn at most ten times a second, and after the last batch.
                guard progress, ContinuousClock.now - lastDrawn > .milliseconds(100) || range.upperBound == items.count else { return }
                lastDrawn = ContinuousClock.now
                Terminal.error("\r\u{1B}[K" + ProgressBar.render(completed: range.upperBound, total: items.count)
                    + ProgressBar.rateAndETA(completed: range.upperBound, total: items.count,
                                             elapsedSeconds: (ContinuousClock.now - started).seconds, unit: "quotes"))
            }
        } catch {
            if progress { Terminal.error("\r\u{1B}[K") }
            printReport(report, json: invocation.configuration.json)
            throw error
        }
        if progress && !items.isEmpty { Terminal.error("\r\u{1B}[K") }
        printReport(report, json: invocation.configuration.json)
        return report.rejections.isEmpty ? .success : .rejectedInput
    }

    /// Sends the batches with up to `window` in flight, recording every answer as it comes
    /// (in batch order) and telling `answered` which batch it was.
    static func send(
        _ batches: [Range<Int>], of items: [Item], replace: Bool, through session: ServerSession,
        into report: inout ImportReport, answered: (Range<Int>) -> Void
    ) throws(Failure) {
        var next = 0
        var done = 0
        try session.run { client throws(ClientError) in
            try client.send(window: window, next: { () -> Request? in
                guard next < batches.count else { return nil }
                defer { next += 1 }
                return Request.add(items[batches[next]].map(\.quote), replace: replace)
            }, onResponse: { (response) throws(ClientError) in
                let range = batches[done]
                done += 1
                switch response {
                case let .added(results):
                    for (item, result) in zip(items[range], results) {
                        report.record(result, line: item.line, entry: item.entry, file: item.file)
                    }
                case let .error(code, message):
                    throw .server(code: code, message: message)
                default:
                    throw .protocolViolation("expected ADD_OK, got \(response.opcode)")
                }
                answered(range)
            })
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

    /// The quotes of `path` (a file, `-`, or with the fortune format a directory), and a
    /// report that already counts what could not be parsed.
    static func load(_ path: String, format: String) throws(Failure) -> (items: [Item], report: ImportReport) {
        var isDirectory: ObjCBool = false
        guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let parsed = parse(try read(path), format: format)
            if format == "jsonl", parsed.items.isEmpty, let first = parsed.report.rejections.first {
                throw .failed("\(path == "-" ? "standard input" : path) holds no JSON Lines quote: \(parsed.report.rejections.count) "
                    + "lines, none a JSON object with text and speaker (\(first.location): \(first.reason)). "
                    + "For a fortune file, add --format fortune.", .rejectedInput)
            }
            return parsed
        }
        guard format == "fortune" else {
            throw .failed("\(path) is a directory: --format fortune imports every fortune file below one", .rejectedInput)
        }
        var items: [Item] = []
        var report = ImportReport(skippedWithoutAttribution: 0)
        for name in fortuneFiles(below: path) {
            var (fileItems, fileReport) = parse(try read(path + "/" + name), format: format)
            for index in fileItems.indices { fileItems[index].file = name }
            items += fileItems
            report.merge(fileReport)
        }
        return (items, report)
    }

    /// The fortune files below `directory`, as paths relative to it, by name: regular files,
    /// not the `.dat` indexes strfile writes, not links (Debian's `.u8` names), not hidden.
    static func fortuneFiles(below directory: String) -> [String] {
        let manager = FileManager.default
        let names = manager.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        return names.filter { name in
            guard !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }), !name.hasSuffix(".dat"),
                  let attributes = try? manager.attributesOfItem(atPath: directory + "/" + name) else { return false }
            return attributes[.type] as? FileAttributeType == .typeRegular
        }.sorted()
    }

    /// The quotes of the text, and a report that already counts what could not be parsed.
    static func parse(_ text: String, format: String) -> (items: [Item], report: ImportReport) {
        if format == "fortune" {
            let file = FortuneFile(parsing: text)
            let items = file.entries.map { Item(line: $0.line, entry: $0.number, file: nil, quote: $0.quote) }
            return (items, ImportReport(skippedWithoutAttribution: file.unattributedCount))
        }
        let file = JSONLinesFile(parsing: text)
        var report = ImportReport()
        for failure in file.failures { report.reject(line: failure.line, reason: failure.error.description) }
        return (file.entries.map { Item(line: $0.line, entry: nil, file: nil, quote: $0.quote) }, report)
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
                report.reject(line: item.line, entry: item.entry, file: item.file, reason: "\(error) [\(error.code.name)]")
            }
        }
        var summary = "dry run: \(valid) valid, \(report.rejections.count) rejected"
        if let skipped = report.skippedWithoutAttribution { summary += "; \(skipped) skipped without attribution" }
        Terminal.error(([summary] + report.lines(limit: ImportReport.listedNotes).dropFirst()).joined(separator: "\n") + "\n")
        return report.rejections.isEmpty ? .success : .rejectedInput
    }

    /// The summary and rejections as text, or as JSON objects: the summary, then one per rejection.
    static func printReport(_ report: ImportReport, json: Bool) {
        guard json else {
            for line in report.lines(limit: ImportReport.listedNotes) { Terminal.output(line) }
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
                var fields: [(String, Any)] = [("status", status)]
                if let file = note.file { fields.append(("file", file)) }
                fields.append(("line", note.line))
                if let entry = note.entry { fields.append(("entry", entry)) }
                fields.append(("reason", note.reason))
                Terminal.output(JSONText.object(fields))
            }
        }
    }
}
