import CommandLineKit
import QuoteCLISupport
import QuoteClient
import QuoteCore

/// `quotes digest`: the live count and the archive digest, to check that replicas agree.
enum DigestCommand: Subcommand {
    static let spec = CommandSpec(
        name: "digest",
        abstract: "Show the number of quotes and the archive's digest.",
        discussion: """
            The digest covers every live quote's id and metadata (date, source, lang, tags), \
            so two archives holding the same quotes print the same digest, whichever host \
            wrote them and when: replicas in sync, or an archive rebuilt by import. The ops \
            digest covers the operations that won instead (deletes included), and is equal \
            only between replicas that exchanged the same operations.
            """)

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let session = try invocation.connect()
        let (count, digest, ops) = try session.run { client throws(ClientError) in try client.digest() }
        if invocation.configuration.json {
            Terminal.output(JSONText.object([("count", count), ("digest", Hex.encode(digest)), ("ops_digest", Hex.encode(ops))]))
        } else {
            let rows = [("quotes", String(count)), ("digest", Hex.encode(digest)), ("ops digest", Hex.encode(ops))]
            for line in TableFormatter.lines(rows) {
                Terminal.output(line)
            }
        }
        return .success
    }
}
