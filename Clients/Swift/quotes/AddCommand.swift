import CommandLineKit
import Foundation
import QuoteClient
import QuoteCore

/// `quotes add TEXT --speaker S ...`: stores one quote and prints its id.
enum AddCommand: Subcommand {
    static let spec = CommandSpec(
        name: "add",
        abstract: "Add a quote and print its id.",
        discussion: """
            The id is computed from the quote's text and speaker, so adding the same quote \
            twice stores it once; the second time says it was already present. If it is \
            stored with other metadata (date, source, lang or tags), nothing changes and the \
            command says it differs (on standard error, exit 0); --replace stores the new \
            metadata instead ('quotes edit' changes single fields).
            """,
        options: [
            .single("speaker", short: "s", valueName: "name", help: "Who said it.", isRequired: true),
            .single("date", valueName: "date", help: "When: YYYY, YYYY-MM or YYYY-MM-DD."),
            .single("source", valueName: "source", help: "Where it was said or reported: a publication, a URL."),
            .single("lang", valueName: "lang", help: "The language of the text, such as en or fr."),
            .repeatable("tag", valueName: "tag", help: "A label; repeat for several."),
            .flag("replace", help: "If the quote is stored with other metadata, store this metadata instead."),
        ],
        arguments: [.required("text", help: "What was said; - reads it from standard input.")])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        var text = parsed.argument("text") ?? ""
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let date = try FilterOptions.date(parsed, "date")
        let quote = Quote(
            text: text, speaker: parsed.value("speaker") ?? "", date: date, source: parsed.value("source"),
            lang: parsed.value("lang"), tags: parsed.values("tag"))
        let session = try invocation.connect()
        let result = try session.run { client throws(ClientError) in try client.add([quote], replace: parsed.flag("replace"))[0] }
        switch result.status {
        case .rejected:
            throw Failure(.server(code: result.code, message: result.message), server: session.address)
        case .added, .alreadyPresent, .updated, .differs:
            if invocation.configuration.json {
                Terminal.output(JSONText.object([("id", result.id.description), ("status", result.status.name)]))
            } else {
                // The id alone on standard output, so `id=$(quotes add ...)` works either way.
                Terminal.output(result.id.description)
                switch result.status {
                case .alreadyPresent: Terminal.error("already present\n")
                case .updated: Terminal.error("updated: the stored metadata was replaced\n")
                case .differs:
                    Terminal.error("differs: stored with other metadata (date, source, lang or tags); nothing changed. "
                                   + "See 'quotes get \(result.id.short())'; add --replace to store this metadata\n")
                default: break
                }
            }
            return .success
        }
    }
}
