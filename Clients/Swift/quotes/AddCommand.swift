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
            The id is computed from the quote's content, so adding the same quote twice \
            stores it once; the second time says it was already present.
            """,
        options: [
            .single("speaker", short: "s", valueName: "name", help: "Who said it.", isRequired: true),
            .single("date", valueName: "date", help: "When: YYYY, YYYY-MM or YYYY-MM-DD."),
            .single("source", valueName: "source", help: "Where it was said or reported: a publication, a URL."),
            .single("lang", valueName: "lang", help: "The language of the text, such as en or fr."),
            .repeatable("tag", valueName: "tag", help: "A label; repeat for several."),
        ],
        arguments: [.required("text", help: "What was said; - reads it from standard input.")])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let parsed = invocation.parsed
        var text = parsed.argument("text") ?? ""
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let date: QuoteDate?
        do {
            date = try FilterOptions.date(parsed, "date")
        } catch {
            throw .usage(error)
        }
        let quote = Quote(
            text: text, speaker: parsed.value("speaker") ?? "", date: date, source: parsed.value("source"),
            lang: parsed.value("lang"), tags: parsed.values("tag"))
        let session = try invocation.connect()
        let result = try session.run { client throws(ClientError) in try client.add([quote])[0] }
        switch result.status {
        case .rejected:
            throw Failure(.server(code: result.code, message: result.message), server: session.address)
        case .added, .alreadyPresent:
            let status = result.status == .added ? "added" : "already_present"
            if invocation.configuration.json {
                Terminal.output(JSONText.object([("id", result.id.description), ("status", status)]))
            } else {
                // The id alone on standard output, so `id=$(quotes add ...)` works either way.
                Terminal.output(result.id.description)
                if result.status == .alreadyPresent { Terminal.error("already present\n") }
            }
            return .success
        }
    }
}
