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
            The digest covers every quote's id and the operation that stored it, so replicas \
            in sync print the same digest. An archive rebuilt by import holds the same quotes \
            through new operations, so its digest differs; compare exports instead.
            """)

    static func run(_ invocation: Invocation) throws(Failure) -> ExitStatus {
        let session = try invocation.connect()
        let (count, digest) = try session.run { client throws(ClientError) in try client.digest() }
        if invocation.configuration.json {
            Terminal.output(JSONText.object([("count", count), ("digest", Hex.encode(digest))]))
        } else {
            for line in TableFormatter.lines([("quotes", String(count)), ("digest", Hex.encode(digest))]) {
                Terminal.output(line)
            }
        }
        return .success
    }
}
