import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes get ID`: prints one quote by id or unique id prefix.
enum GetCommand: Subcommand {
    static let spec = CommandSpec(
        name: "get",
        abstract: "Show the quote with an id.",
        arguments: [.required("id", help: "The id, or a prefix of at least \(QuoteID.minimumPrefixLength) hex digits matching one quote.")])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let id = invocation.parsed.argument("id") ?? ""
        let session = try invocation.connect()
        let quote = try session.run { client throws(ClientError) in try client.get(id) }
        var printer = invocation.quotePrinter()
        printer.print(quote)
        return .success
    }
}
