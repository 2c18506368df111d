import CommandLineKit
import QuoteClient
import QuoteCore

/// `quotes delete ID`: removes one quote by id or unique id prefix.
enum DeleteCommand: Subcommand {
    static let spec = CommandSpec(
        name: "delete",
        abstract: "Delete the quote with an id.",
        arguments: [.required("id", help: "The id, or a prefix of at least \(QuoteID.minimumPrefixLength) hex digits matching one quote.")])

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let idOrPrefix = invocation.parsed.argument("id") ?? ""
        let session = try invocation.connect()
        let id = try session.run { client throws(ClientError) in try client.delete(idOrPrefix) }
        if invocation.configuration.json {
            Terminal.output(JSONText.object([("id", id.description), ("status", "deleted")]))
        } else {
            Terminal.output("deleted \(id)")
        }
        return .success
    }
}
