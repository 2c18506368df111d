import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes edit ID --tag x ...`: changes a stored quote's fields in one durable write.
///
/// Metadata (date, source, lang, tags) changes under the same id. A new text or speaker is
/// a new quote with a new id: the server stores it and deletes the old id in the same batch,
/// and both ids are printed.
enum EditCommand: Subcommand {
    static let spec = CommandSpec(
        name: "edit",
        abstract: "Change a stored quote's date, source, language, tags, text or speaker.",
        discussion: """
            Date, source, lang and tags are metadata: the quote keeps its id. Changing the \\
            text or the speaker makes another quote with another id; the old id is deleted in \\
            the same write, and both ids are printed ('OLD -> NEW'). An empty --source or \\
            --lang removes it. Prints the id (the new one when it changed); exits 1 if no \\
            quote has the id, 4 if the edited quote is invalid.
            """,
        options: [
            .single("text", valueName: "text", help: "New text."),
            .single("speaker", short: "s", valueName: "name", help: "New speaker."),
            .single("date", valueName: "date", help: "New date: YYYY, YYYY-MM or YYYY-MM-DD."),
            .flag("no-date", help: "Remove the date."),
            .single("source", valueName: "source", help: "New source; empty removes it."),
            .single("lang", valueName: "lang", help: "New language tag; empty removes it."),
            .repeatable("tag", valueName: "tag", help: "Replace all tags with these; repeat for several."),
            .repeatable("add-tag", valueName: "tag", help: "Add this tag; repeatable."),
            .repeatable("remove-tag", valueName: "tag", help: "Remove this tag; repeatable."),
        ],
        arguments: [.required("id", help: "The id, or a prefix of at least \(QuoteID.minimumPrefixLength) hex digits matching one quote.")])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        let idOrPrefix = parsed.argument("id") ?? ""
        let changesDate = parsed.value("date") != nil || parsed.flag("no-date")
        if parsed.value("date") != nil && parsed.flag("no-date") {
            throw .usage(parsed.usageError("--date and --no-date cannot be given together"))
        }
        if !parsed.values("tag").isEmpty && !(parsed.values("add-tag").isEmpty && parsed.values("remove-tag").isEmpty) {
            throw .usage(parsed.usageError("--tag replaces every tag; it cannot be combined with --add-tag or --remove-tag"))
        }
        let date = try FilterOptions.date(parsed, "date")
        let fields = ["text", "speaker", "source", "lang"].filter { parsed.value($0) != nil }
        let tagChanges = ["tag", "add-tag", "remove-tag"].filter { !parsed.values($0).isEmpty }
        guard !fields.isEmpty || !tagChanges.isEmpty || changesDate else {
            throw .usage(parsed.usageError("nothing to change: give at least one of --text, --speaker, --date, --no-date, "
                                           + "--source, --lang, --tag, --add-tag, --remove-tag"))
        }

        let session = try invocation.connect()
        let (result, previous) = try session.run { (client) throws(ClientError) -> (AddResult, QuoteID) in
            let stored = try client.get(idOrPrefix)
            var quote = stored.quote
            if let text = parsed.value("text") { quote.text = text }
            if let speaker = parsed.value("speaker") { quote.speaker = speaker }
            if changesDate { quote.date = date }
            if let source = parsed.value("source") { quote.source = source.isEmpty ? nil : source }
            if let lang = parsed.value("lang") { quote.lang = lang.isEmpty ? nil : lang }
            if !parsed.values("tag").isEmpty { quote.tags = parsed.values("tag") }
            quote.tags += parsed.values("add-tag")
            let removed = Set(parsed.values("remove-tag").map { $0.lowercased() })
            quote.tags.removeAll { removed.contains($0.lowercased()) }
            // The whole id, not the prefix: the quote read is the one replaced.
            let reply = try client.edit(stored.id.description, to: quote)
            return (reply.result, reply.previous)
        }
        if invocation.configuration.json {
            Terminal.output(JSONText.object([("id", result.id.description), ("previous", previous.description),
                                             ("status", result.status.name)]))
        } else if result.id == previous {
            Terminal.output(result.id.description)
            if result.status == .alreadyPresent { Terminal.error("unchanged: the quote already had these fields\n") }
        } else {
            Terminal.output("\(previous) -> \(result.id)")
        }
        return .success
    }
}
